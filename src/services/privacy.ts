import { createAuditService } from './audit.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createNotifier } from './notify.js';

/** DESIGN §11: what a person may ask of her data. */
export function createPrivacyService(db: DbClient, deps: ServiceDeps) {
  const notify = createNotifier(db, deps);
  const audit = createAuditService(db);

  /** A lead leaving by erasure: coordinators must know the cooperative has nobody to answer for it. */
  async function releaseMembership(contactId: string, phone: string | null) {
    const membership = await db.membership.findUnique({
      where: { contactId },
      include: { cooperative: true },
    });
    if (!membership) return;
    await db.membership.delete({ where: { id: membership.id } });
    if (membership.role !== 'LEAD' || membership.status !== 'ACTIVE') return;
    const { cooperative } = membership;
    if (phone && cooperative.contactPhone === phone) {
      await db.cooperative.update({
        where: { id: cooperative.id },
        data: { contactPhone: null, publishContact: false },
      });
    }
    await notify.toCoordinators(
      { type: 'cooperative', id: cooperative.id },
      (t) => ({ text: t('deleteData:leadErased', { cooperative: cooperative.name }) }),
      { kind: 'cooperative-lead-erased' },
    );
  }

  return {
    /**
     * "Delete my data": everything she wrote or that names her is deleted (requests, questions,
     * inquiries, invitations, membership, channel addresses with their conversations) and the contact
     * row is kept anonymous, for counts. The next message from her starts as a stranger's.
     */
    async erase(contactId: string, now: Date): Promise<void> {
      const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
      await db.threadMessage.deleteMany({ where: { authorId: contactId } });
      await db.handoffTicket.deleteMany({ where: { contactId } });
      await db.buyerInquiry.deleteMany({ where: { buyerId: contactId } });
      await db.fundingRequest.deleteMany({ where: { contactId } });
      await db.invitation.deleteMany({ where: { contactId } });
      await releaseMembership(contactId, contact.phone);
      await db.contactChannel.deleteMany({ where: { contactId } });
      await db.contact.update({
        where: { id: contactId },
        data: {
          displayName: null,
          phone: null,
          governorate: null,
          consentAt: null,
          subscribed: false,
          unsubscribedAt: now,
          erasedAt: now,
        },
      });
      await audit.record({
        actor: { contactId, label: 'contact', channel: 'bot' },
        action: 'contact.erase',
        targetType: 'contact',
        targetId: contactId,
        at: now,
      });
    },
  };
}
