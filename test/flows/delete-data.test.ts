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
    const cooperative = await seedCooperative(h.prisma);
    await seedMembership(h.prisma, contactId, cooperative.id, { role: 'LEAD' });
    // Her request and her question, as the flows make them: each also posts to the coordinators' chat.
    const services = h.services();
    const actor = { contactId, label: 'contact', channel: 'web' };
    await services.funding.createRequest(
      { contactId, purpose: 'آلة خياطة لتطريز الأثواب', beneficiary: 'SELF' },
      actor,
      new Date(),
    );
    await services.tickets.fromContact(contactId, 'سؤالي عن القرض', actor, new Date());
    const posts = await h.prisma.outboxMessage.findMany({ where: { chatId: '-1001' } });
    expect(posts.length).toBeGreaterThanOrEqual(2);
    await h.prisma.adminPost.create({
      data: {
        chatId: '-1001',
        messageId: '77',
        targetType: 'ticket',
        targetId: (await h.prisma.handoffTicket.findFirstOrThrow()).id,
      },
    });
    // One post already went out: it stays as a row, emptied of her words.
    await h.prisma.outboxMessage.update({ where: { id: posts[0]?.id }, data: { status: 'SENT' } });

    await h.press('lead', h.ar('menu:deleteData'));
    const done = await h.press('lead', h.ar('deleteData:yes'));
    expect(textOf(done)).toContain(h.ar('deleteData:done'));

    expect(await h.prisma.fundingRequest.count({ where: { contactId } })).toBe(0);
    expect(await h.prisma.handoffTicket.count({ where: { contactId } })).toBe(0);
    expect(await h.prisma.threadMessage.count({ where: { authorId: contactId } })).toBe(0);
    expect(await h.prisma.membership.count({ where: { contactId } })).toBe(0);
    const erased = await h.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(erased).toMatchObject({
      displayName: null,
      phone: null,
      role: 'USER',
      erasedAt: expect.any(Date),
    });
    const coop = await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    expect(coop.contactPhone).toBeNull();
    const left = await h.prisma.outboxMessage.findMany({ where: { chatId: '-1001' } });
    expect(left.filter((p) => JSON.stringify(p.payload).includes('آلة خياطة'))).toEqual([]);
    expect(left.filter((p) => JSON.stringify(p.payload).includes('سؤالي'))).toEqual([]);
    expect(left.find((p) => p.id === posts[0]?.id)?.payload).toEqual({});
    expect(await h.prisma.adminPost.count()).toBe(0);
    const post = await h.prisma.outboxMessage.findFirst({ where: { kind: 'cooperative-lead-erased' } });
    expect(post?.chatId).toBe('-1001');
    expect((post?.payload as { text?: string } | undefined)?.text).toContain(cooperative.name);
    expect(await h.prisma.auditLog.count({ where: { action: 'contact.erase', targetId: contactId } })).toBe(
      1,
    );
  });
});
