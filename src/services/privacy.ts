import { createAuditService } from './audit.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createNotifier } from './notify.js';
import type { OutboxPayload } from './outbox.js';

/** DESIGN §11: what a person may ask of her data. */
export function createPrivacyService(db: DbClient, deps: ServiceDeps) {
  const notify = createNotifier(db, deps);
  const audit = createAuditService(db);

  /** A lead leaving by erasure: coordinators must know the cooperative has nobody to answer for it. */
  async function releaseMembership(contactId: string) {
    const membership = await db.membership.findUnique({
      where: { contactId },
      include: { cooperative: true },
    });
    if (!membership) return;
    await db.membership.delete({ where: { id: membership.id } });
    if (membership.role !== 'LEAD' || membership.status !== 'ACTIVE') return;
    const { cooperative } = membership;
    // The number she gave for the cooperative is most often her own: it goes with her.
    await db.cooperative.update({
      where: { id: cooperative.id },
      data: { contactPhone: null, publishContact: false },
    });
    await notify.toCoordinators(
      { type: 'cooperative', id: cooperative.id },
      (t) => ({ text: t('deleteData:leadErased', { cooperative: cooperative.name }) }),
      { kind: 'cooperative-lead-erased' },
    );
  }

  /**
   * Coordinators' posts about her requests and questions carry her name and words: queued ones are
   * dropped, sent ones emptied, and their reply targets forgotten.
   */
  async function forgetPostsAbout(targets: { id: string; createdAt: Date }[]) {
    if (targets.length === 0) return;
    const ids = new Set(targets.map((t) => t.id));
    const since = new Date(Math.min(...targets.map((t) => t.createdAt.getTime())));
    const posts = await db.outboxMessage.findMany({
      where: { chatId: { not: null }, createdAt: { gte: since } },
      select: { id: true, status: true, payload: true },
    });
    const about = posts.filter((p) =>
      ids.has((p.payload as unknown as OutboxPayload | null)?.adminTarget?.id ?? ''),
    );
    const queued = about.filter((p) => p.status === 'PENDING').map((p) => p.id);
    await db.outboxMessage.deleteMany({ where: { id: { in: queued } } });
    await db.outboxMessage.updateMany({
      where: { id: { in: about.map((p) => p.id).filter((id) => !queued.includes(id)) } },
      data: { payload: {} },
    });
    await db.adminPost.deleteMany({ where: { targetId: { in: [...ids] } } });
  }

  return {
    /**
     * "Delete my data": everything she wrote or that names her is deleted (requests, questions,
     * inquiries, invitations, membership, channel addresses with their conversations) and the contact
     * row is kept anonymous, for counts. The next message from her starts as a stranger's.
     */
    async erase(contactId: string, now: Date): Promise<void> {
      const select = { id: true, createdAt: true } as const;
      await forgetPostsAbout([
        ...(await db.handoffTicket.findMany({ where: { contactId }, select })),
        ...(await db.fundingRequest.findMany({ where: { contactId }, select })),
      ]);
      await db.threadMessage.deleteMany({ where: { authorId: contactId } });
      await db.handoffTicket.deleteMany({ where: { contactId } });
      await db.buyerInquiry.deleteMany({ where: { buyerId: contactId } });
      await db.fundingRequest.deleteMany({ where: { contactId } });
      await db.invitation.deleteMany({ where: { contactId } });
      await releaseMembership(contactId);
      await db.contactChannel.deleteMany({ where: { contactId } });
      await db.contact.update({
        where: { id: contactId },
        data: {
          displayName: null,
          phone: null,
          governorate: null,
          consentAt: null,
          role: 'USER',
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
