import { describe, expect, it } from 'vitest';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100888';

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });

/** A coordinator as the coordinators' chat console names her. */
async function coordinator() {
  const contact = await h.prisma.contact.create({ data: { role: 'COORDINATOR', displayName: 'منسّقة' } });
  return { contactId: contact.id, label: `telegram:1 (منسّقة)`, channel: 'telegram-admin-chat' };
}

const adminPosts = () =>
  h.prisma.outboxMessage.findMany({ where: { chatId: ADMIN_CHAT }, orderBy: { createdAt: 'asc' } });

describe('talk to a coordinator', () => {
  it('opens a ticket, joins her further messages to it, and brings the coordinator reply to her', async () => {
    const menu = await onboardMember(h, 't1');
    const ask = await h.press('t1', h.ar('tickets:menu'));
    expect(labelsOf(menu)).toContain(h.ar('tickets:menu'));
    expect(textOf(ask)).toContain(h.ar('tickets:ask'));
    expect(labelsOf(ask)).toEqual([h.ar('engine:nav.menu')]);

    const opened = await h.send('t1', 'متى موعد ورشة التسويق القادمة؟');
    expect(textOf(opened)).toContain(h.ar('tickets:sent.opened'));
    expect(labelsOf(opened)).toEqual([h.ar('tickets:close.button'), h.ar('engine:nav.menu')]);
    const ticket = await h.prisma.handoffTicket.findFirstOrThrow({ include: { messages: true } });
    expect(ticket.status).toBe('OPEN');
    expect(ticket.messages).toEqual([
      expect.objectContaining({ authorRole: 'contact', text: 'متى موعد ورشة التسويق القادمة؟' }),
    ]);

    const added = await h.send('t1', 'وهل يمكن أن أحضر معي ابنتي؟');
    expect(textOf(added)).toContain(h.ar('tickets:sent.added'));
    expect(await h.prisma.handoffTicket.count()).toBe(1);
    expect(await h.prisma.threadMessage.count({ where: { ticketId: ticket.id } })).toBe(2);

    const posts = await adminPosts();
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      const payload = post.payload as { adminTarget: unknown; choices: { id: string }[] };
      expect(payload.adminTarget).toEqual({ type: 'ticket', id: ticket.id });
      expect(payload.choices.map((c) => c.id)).toEqual([`ticket.close:${ticket.id}`]);
    }

    const { tickets } = h.services();
    await tickets.reply(ticket.id, 'الورشة يوم الخميس، وأهلًا بابنتكِ', await coordinator(), new Date());
    const notice = await h.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'ticket-reply' } });
    expect((notice.payload as { text: string }).text).toContain('الورشة يوم الخميس');
    expect((await h.prisma.handoffTicket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe(
      'ANSWERED',
    );

    // Global keywords still work inside the thread, and nothing of them is forwarded.
    const back = await h.send('t1', 'القائمة');
    expect(textOf(back)).toContain(h.ar('menu:title'));
    const thread = await h.press('t1', h.ar('tickets:menu'));
    expect(textOf(thread)).toContain(h.ar('tickets:thread.her', { text: 'وهل يمكن أن أحضر معي ابنتي؟' }));
    expect(textOf(thread)).toContain(
      h.ar('tickets:thread.coordinator', { text: 'الورشة يوم الخميس، وأهلًا بابنتكِ' }),
    );
    expect(await h.prisma.threadMessage.count()).toBe(3);

    await h.send('t1', 'شكرًا جزيلًا');
    expect((await h.prisma.handoffTicket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe(
      'OPEN',
    );
    expect(await h.prisma.threadMessage.count()).toBe(4);
  });

  it('closes her question when she asks, after a confirmation, and tells the coordinators', async () => {
    await onboardMember(h, 't2');
    await h.prisma.contact.updateMany({ where: { role: 'USER' }, data: { displayName: 'هالة' } });
    await h.press('t2', h.ar('tickets:menu'));
    await h.send('t2', 'أحتاج مساعدة في تسجيل الجمعية');
    const confirm = await h.press('t2', h.ar('tickets:close.button'));
    expect(textOf(confirm)).toContain(h.ar('tickets:close.confirm'));
    const kept = await h.press('t2', h.ar('tickets:close.no'));
    expect(textOf(kept)).toContain(h.ar('tickets:write'));

    await h.press('t2', h.ar('tickets:close.button'));
    const done = await h.send('t2', 'نعم');
    expect(textOf(done)).toContain(h.ar('tickets:close.done'));
    expect(textOf(done)).toContain(h.ar('menu:title'));
    const ticket = await h.prisma.handoffTicket.findFirstOrThrow();
    expect(ticket.status).toBe('CLOSED');
    expect(ticket.closedAt).toBeInstanceOf(Date);
    const posts = await adminPosts();
    expect((posts.at(-1)?.payload as { text: string } | undefined)?.text).toContain(
      h.ar('tickets:admin.closedByHer', { name: 'هالة' }),
    );
  });

  it('tells her when a coordinator closes it; what she writes next opens a new ticket', async () => {
    await onboardMember(h, 't3');
    await h.press('t3', h.ar('tickets:menu'));
    await h.send('t3', 'سؤال عن القروض');
    const ticket = await h.prisma.handoffTicket.findFirstOrThrow();
    const actor = await coordinator();

    const closed = await h.services().tickets.close(ticket.id, actor, new Date());
    expect(closed.changed).toBe(true);
    expect((await h.services().tickets.close(ticket.id, actor, new Date())).changed).toBe(false);
    const notices = await h.prisma.outboxMessage.findMany({ where: { kind: 'ticket-closed' } });
    expect(notices).toHaveLength(1);
    expect((notices[0]?.payload as { text: string } | undefined)?.text).toBe(h.ar('tickets:notice.closed'));
    await expect(h.services().tickets.reply(ticket.id, 'متأخر', actor, new Date())).rejects.toMatchObject({
      code: 'closed',
    });

    const opened = await h.send('t3', 'سؤال آخر');
    expect(textOf(opened)).toContain(h.ar('tickets:sent.opened'));
    expect(await h.prisma.handoffTicket.count({ where: { status: 'OPEN' } })).toBe(1);
    expect(await h.prisma.auditLog.count({ where: { action: 'ticket.open' } })).toBe(2);
    expect(await h.prisma.auditLog.count({ where: { action: 'ticket.close' } })).toBe(1);
  });

  it('refuses a reply from someone who is not a coordinator', async () => {
    await onboardMember(h, 't4');
    await h.press('t4', h.ar('tickets:menu'));
    await h.send('t4', 'سؤال');
    const ticket = await h.prisma.handoffTicket.findFirstOrThrow();
    const stranger = await h.prisma.contact.create({ data: {} });
    const actor = { contactId: stranger.id, label: 'telegram:2', channel: 'telegram-admin-chat' };
    await expect(h.services().tickets.reply(ticket.id, 'لا', actor, new Date())).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await h.prisma.threadMessage.count()).toBe(1);
  });
});
