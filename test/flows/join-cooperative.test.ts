import { describe, expect, it } from 'vitest';
import { coordinatorPosts, seedCooperative, seedMembership } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100777';

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });

const contactId = async (user: string) => (await h.contactOf(user))?.id ?? '';
const membershipOf = async (user: string) =>
  h.prisma.membership.findUnique({ where: { contactId: await contactId(user) } });
const error = (key: string) => h.ar(`cooperatives:join.errors.${key}`);
/** Texts queued for a person (not the coordinators' chat), oldest first. */
const noticesTo = async (user: string) =>
  (
    await h.prisma.outboxMessage.findMany({
      where: { contactChannel: { contactId: await contactId(user) } },
      orderBy: { createdAt: 'asc' },
    })
  ).map((row) => (row.payload as { text: string }).text);

/** An approved cooperative with code K7M2QX whose lead is `lead`. */
async function cooperativeLedBy(lead: string, fields: Parameters<typeof seedCooperative>[1] = {}) {
  await onboardMember(h, lead, 'منى');
  const cooperative = await seedCooperative(h.prisma, { joinCode: 'K7M2QX', ...fields });
  await seedMembership(h.prisma, await contactId(lead), cooperative.id, { role: 'LEAD' });
  return cooperative;
}

describe('joining with a code', () => {
  it('asks again for a mistyped or unknown code, then joins with any case, dashes and Arabic digits', async () => {
    const cooperative = await cooperativeLedBy('lead');
    await onboardMember(h, 'j1', 'سلمى');
    await h.press('j1', h.ar('cooperatives:menu.join'));
    await h.press('j1', h.ar('cooperatives:join.withCode'));

    const short = await h.send('j1', 'ABC');
    expect(textOf(short)).toContain(error('not_a_code'));
    const unknown = await h.send('j1', 'ZZZZZZ');
    expect(textOf(unknown)).toContain(error('unknown_code'));
    expect((await h.conversationOf('j1'))?.step).toBe('code');

    const joined = await h.send('j1', 'k٧m-٢qx');
    expect(textOf(joined)).toContain(h.ar('cooperatives:join.joined', { name: cooperative.name }));
    expect(await membershipOf('j1')).toMatchObject({
      cooperativeId: cooperative.id,
      role: 'MEMBER',
      status: 'ACTIVE',
    });
    expect(labelsOf(joined)).toContain(h.ar('cooperatives:menu.mine'));
    expect(labelsOf(joined)).not.toContain(h.ar('cooperatives:menu.join'));
    expect(await noticesTo('lead')).toEqual([h.ar('cooperatives:notify.memberJoined', { name: 'سلمى' })]);
    expect(await h.prisma.auditLog.count({ where: { action: 'membership.join' } })).toBe(1);
  });

  it('takes a code typed instead of choosing how to join', async () => {
    const cooperative = await cooperativeLedBy('lead');
    await onboardMember(h, 'j2', 'ريم');
    await h.press('j2', h.ar('cooperatives:menu.join'));
    const unknown = await h.send('j2', 'ZZ22ZZ');
    expect(textOf(unknown)).toContain(error('unknown_code'));
    expect((await h.conversationOf('j2'))?.step).toBe('code');
    await h.send('j2', 'K7M2QX');
    expect((await membershipOf('j2'))?.cooperativeId).toBe(cooperative.id);
  });

  it('refuses a member of another cooperative and tells the coordinators once', async () => {
    const cooperative = await cooperativeLedBy('lead');
    const other = await seedCooperative(h.prisma, { name: 'تعاونية الزيتون', governorate: 'nablus' });
    await onboardMember(h, 'j3', 'سعاد');
    await seedMembership(h.prisma, await contactId('j3'), other.id);
    // The menu does not offer joining to her, and the service refuses her too.
    const result = await h.send('j3', h.ar('cooperatives:menu.join'));
    expect(textOf(result)).toContain(h.ar('menu:notUnderstood'));
    await h.services().memberships.joinWithCode(await contactId('j3'), 'K7M2QX', 'web');
    const outcome = await h.services().memberships.joinWithCode(await contactId('j3'), 'K7M2QX', 'web');
    expect(outcome).toEqual({ ok: false, error: 'member_elsewhere' });
    expect((await membershipOf('j3'))?.cooperativeId).toBe(other.id);
    const posts = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.adminTarget).toEqual({ type: 'cooperative', id: cooperative.id });
    expect(posts[0]?.text).toBe(
      h.ar('cooperatives:conflict.memberElsewhere', {
        name: 'سعاد',
        current: other.name,
        cooperative: cooperative.name,
      }),
    );
  });

  it('does not open a suspended cooperative (a conflict for the coordinators) nor one under review', async () => {
    const suspended = await cooperativeLedBy('lead', { status: 'SUSPENDED' });
    await seedCooperative(h.prisma, { name: 'أخرى', joinCode: 'PPPPPP', status: 'PENDING' });
    await onboardMember(h, 'j4', 'نور');
    await h.press('j4', h.ar('cooperatives:menu.join'));
    const closed = await h.send('j4', 'K7M2QX');
    expect(textOf(closed)).toContain(error('not_open'));
    expect(await membershipOf('j4')).toBeNull();
    const [post] = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(post?.text).toBe(
      h.ar('cooperatives:conflict.suspended', { name: 'نور', cooperative: suspended.name }),
    );

    await h.press('j4', h.ar('cooperatives:menu.join'));
    const pending = await h.send('j4', 'PPPPPP');
    expect(textOf(pending)).toContain(error('not_open'));
    expect(await coordinatorPosts(h.prisma, ADMIN_CHAT)).toHaveLength(1);
  });
});

describe('asking to join', () => {
  it('finds a cooperative by part of its name in another spelling, sends the request, and the lead accepts', async () => {
    const cooperative = await cooperativeLedBy('lead');
    await seedCooperative(h.prisma, { name: 'جمعية بيت لاهيا', status: 'PENDING' });
    await onboardMember(h, 'j5', 'سلمى');
    await h.press('j5', h.ar('cooperatives:menu.join'));
    await h.press('j5', h.ar('cooperatives:join.search'));
    expect(textOf(await h.send('j5', 'ب'))).toContain(h.ar('cooperatives:join.searchTooShort'));
    expect(textOf(await h.send('j5', 'مخبز'))).toContain(h.ar('cooperatives:join.noResults'));

    const results = await h.send('j5', 'جمعيه نساء بيت');
    const label = h.ar('cooperatives:join.result', { name: cooperative.name, governorate: 'شمال غزة' });
    expect(labelsOf(results).filter((l) => l.includes('جمعية'))).toEqual([label]);
    const confirm = await h.press('j5', label);
    expect(textOf(confirm)).toContain(
      h.ar('cooperatives:join.confirm', { name: cooperative.name, governorate: 'شمال غزة' }),
    );
    const sent = await h.send('j5', 'أيوه');
    expect(textOf(sent)).toContain(h.ar('cooperatives:join.requested', { name: cooperative.name }));
    expect(await membershipOf('j5')).toMatchObject({ status: 'PENDING', cooperativeId: cooperative.id });
    expect(labelsOf(sent)).toContain(h.ar('cooperatives:menu.mine'));
    expect(labelsOf(sent)).not.toContain(h.ar('cooperatives:menu.join'));
    expect(await noticesTo('lead')).toEqual([h.ar('cooperatives:notify.joinRequest', { name: 'سلمى' })]);

    const menu = await h.send('lead', 'القائمة');
    expect(labelsOf(menu)).toContain(h.ar('cooperatives:menu.requests'));
    const list = await h.press('lead', h.ar('cooperatives:menu.requests'));
    expect(textOf(list)).toContain(h.ar('cooperatives:requests.list', { count: 1 }));
    const decide = await h.press('lead', 'سلمى');
    expect(textOf(decide)).toContain(h.ar('cooperatives:requests.decide', { name: 'سلمى' }));
    const accepted = await h.press('lead', h.ar('cooperatives:requests.accept'));
    expect(textOf(accepted)).toContain(h.ar('cooperatives:requests.accepted', { name: 'سلمى' }));
    expect(labelsOf(accepted)).not.toContain(h.ar('cooperatives:menu.requests'));
    expect((await membershipOf('j5'))?.status).toBe('ACTIVE');
    expect(await noticesTo('j5')).toEqual([
      h.ar('cooperatives:notify.requestAccepted', { cooperative: cooperative.name }),
    ]);
    expect(await h.prisma.auditLog.count({ where: { action: 'membership.accept' } })).toBe(1);
  });

  it('lets the lead decline one request and go on to the next; an old request id changes nothing', async () => {
    const cooperative = await cooperativeLedBy('lead');
    for (const [user, name] of [
      ['a1', 'عبير'],
      ['a2', 'وفاء'],
    ] as const) {
      await onboardMember(h, user, name);
      await seedMembership(h.prisma, await contactId(user), cooperative.id, { status: 'PENDING' });
    }
    await h.send('lead', 'القائمة');
    const list = await h.press('lead', h.ar('cooperatives:menu.requests'));
    expect(textOf(list)).toContain(h.ar('cooperatives:requests.list', { count: 2 }));
    await h.press('lead', 'عبير');
    const next = await h.press('lead', h.ar('cooperatives:requests.decline'));
    expect(textOf(next)).toContain(h.ar('cooperatives:requests.declined', { name: 'عبير' }));
    expect(textOf(next)).toContain(h.ar('cooperatives:requests.list', { count: 1 }));
    expect((await membershipOf('a1'))?.status).toBe('DECLINED');
    expect(await noticesTo('a1')).toEqual([
      h.ar('cooperatives:notify.requestDeclined', { cooperative: cooperative.name }),
    ]);

    const declined = await membershipOf('a1');
    /** `user` accepts the declined request, as her press would. */
    const acceptAs = async (user: string) =>
      h.services().memberships.decide(await contactId(user), declined?.id ?? '', true, 'web');
    const again = await acceptAs('lead');
    expect(again).toEqual({ ok: false, error: 'already_handled' });
    const notHers = await acceptAs('a2');
    expect(notHers).toEqual({ ok: false, error: 'not_lead' });
    expect((await membershipOf('a1'))?.status).toBe('DECLINED');

    // Declined, she may ask again (her row is reused).
    await h.press('a1', h.ar('cooperatives:menu.join'));
    await h.press('a1', h.ar('cooperatives:join.search'));
    await h.send('a1', 'نساء');
    await h.send('a1', '1');
    await h.press('a1', h.ar('cooperatives:join.confirmYes'));
    expect((await membershipOf('a1'))?.status).toBe('PENDING');
  });
});
