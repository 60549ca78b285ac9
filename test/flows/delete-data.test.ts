import { describe, expect, it } from 'vitest';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

describe('delete my data', () => {
  const h = useEngineHarness({ adminChatId: '-1001' });

  it('erases what she wrote and what names her, and tells coordinators when a lead leaves this way', async () => {
    await onboardMember(h, 'lead', 'سعاد');
    const contact = await h.contactOf('lead');
    const contactId = contact?.id as string;
    await h.prisma.contact.update({ where: { id: contactId }, data: { phone: '+970599000001' } });
    const cooperative = await seedCooperative(h.prisma);
    await seedMembership(h.prisma, contactId, cooperative.id, { role: 'LEAD' });
    await h.prisma.fundingRequest.create({ data: { contactId, purpose: 'آلة خياطة', history: [] } });
    await h.prisma.handoffTicket.create({
      data: {
        contactId,
        messages: { create: { authorId: contactId, authorRole: 'contact', text: 'سؤالي' } },
      },
    });

    await h.press('lead', h.ar('menu:deleteData'));
    const done = await h.press('lead', h.ar('deleteData:yes'));
    expect(textOf(done)).toContain(h.ar('deleteData:done'));

    expect(await h.prisma.fundingRequest.count({ where: { contactId } })).toBe(0);
    expect(await h.prisma.handoffTicket.count({ where: { contactId } })).toBe(0);
    expect(await h.prisma.threadMessage.count({ where: { authorId: contactId } })).toBe(0);
    expect(await h.prisma.membership.count({ where: { contactId } })).toBe(0);
    const erased = await h.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(erased).toMatchObject({ displayName: null, phone: null, erasedAt: expect.any(Date) });
    const coop = await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    expect(coop.contactPhone).toBeNull();
    const post = await h.prisma.outboxMessage.findFirst({ where: { kind: 'cooperative-lead-erased' } });
    expect(post?.chatId).toBe('-1001');
    expect((post?.payload as { text?: string } | undefined)?.text).toContain(cooperative.name);
    expect(await h.prisma.auditLog.count({ where: { action: 'contact.erase', targetId: contactId } })).toBe(
      1,
    );
  });
});
