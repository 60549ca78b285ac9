import { describe, expect, it } from 'vitest';
import { coordinatorPosts, seedCooperative, seedMembership } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100777';
const API_ACTOR = { label: 'admin-token:test', channel: 'api' };

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });

const contactId = async (user: string) => (await h.contactOf(user))?.id ?? '';
const mine = (key: string, options?: Record<string, unknown>) => h.ar(`cooperatives:mine.${key}`, options);

/** An approved cooperative led by `lead` (منى) with `members` (سلمى, ريم, …) as active members. */
async function cooperativeWith(lead: string, members: [string, string][], fields = {}) {
  await onboardMember(h, lead, 'منى');
  const cooperative = await seedCooperative(h.prisma, { joinCode: 'K7M2QX', ...fields });
  await seedMembership(h.prisma, await contactId(lead), cooperative.id, { role: 'LEAD' });
  for (const [user, name] of members) {
    await onboardMember(h, user, name);
    await seedMembership(h.prisma, await contactId(user), cooperative.id);
  }
  return cooperative;
}

describe('my cooperative', () => {
  it('shows the lead the profile, status, join code and members (names only)', async () => {
    const cooperative = await cooperativeWith('lead', [['m1', 'سلمى']]);
    const menu = await h.send('lead', 'القائمة');
    expect(labelsOf(menu)).toContain(h.ar('cooperatives:menu.mine'));
    expect(labelsOf(menu)).not.toContain(h.ar('cooperatives:menu.register'));

    const profile = await h.press('lead', h.ar('cooperatives:menu.mine'));
    expect(textOf(profile)).toContain(h.ar('cooperatives:fields.name.line', { value: cooperative.name }));
    expect(textOf(profile)).toContain(mine('status', { status: h.ar('cooperatives:statuses.APPROVED') }));
    expect(textOf(profile)).toContain('K7M2QX');
    expect(textOf(profile)).toContain(mine('members', { count: 2 }));
    expect(textOf(profile)).toContain('+970599000001');
    expect(labelsOf(profile)).toEqual(expect.arrayContaining([mine('edit'), mine('members'), mine('leave')]));

    const list = await h.press('lead', mine('members'));
    expect(textOf(list)).toContain(mine('memberLine', { name: 'منى' }));
    expect(textOf(list)).toContain(mine('memberLine', { name: 'سلمى' }));
    expect(textOf(list)).not.toContain('+970');
  });

  it('shows a member the profile without phone or code, and lets her leave after confirming', async () => {
    const cooperative = await cooperativeWith('lead', [['m2', 'ريم']]);
    await h.send('m2', 'القائمة');
    const profile = await h.press('m2', h.ar('cooperatives:menu.mine'));
    expect(textOf(profile)).toContain(mine('member'));
    expect(textOf(profile)).not.toContain('+970599000001');
    expect(textOf(profile)).not.toContain('K7M2QX');
    expect(labelsOf(profile)).not.toContain(mine('edit'));

    await h.press('m2', mine('leave'));
    const kept = await h.press('m2', mine('no'));
    expect(textOf(kept)).toContain(mine('stayed'));
    await h.press('m2', h.ar('cooperatives:menu.mine'));
    await h.press('m2', mine('leave'));
    const left = await h.send('m2', 'نعم');
    expect(textOf(left)).toContain(mine('left', { name: cooperative.name }));
    expect(labelsOf(left)).toContain(h.ar('cooperatives:menu.join'));
    expect(await h.prisma.membership.count({ where: { contactId: await contactId('m2') } })).toBe(0);
    expect(await h.prisma.auditLog.count({ where: { action: 'membership.leave' } })).toBe(1);
  });

  it('sends a lead with members to a coordinator instead of letting her leave', async () => {
    await cooperativeWith('lead', [['m3', 'نور']]);
    await h.send('lead', 'القائمة');
    await h.press('lead', h.ar('cooperatives:menu.mine'));
    await h.press('lead', mine('leave'));
    const refused = await h.press('lead', mine('yes'));
    expect(textOf(refused)).toContain(mine('leadWithMembers'));
    expect(
      (await h.prisma.membership.findUnique({ where: { contactId: await contactId('lead') } }))?.role,
    ).toBe('LEAD');
  });

  it('keeps an approved cooperative approved after a small edit, and sends a new name back to review', async () => {
    const cooperative = await cooperativeWith('lead', []);
    await h.send('lead', 'القائمة');
    await h.press('lead', h.ar('cooperatives:menu.mine'));
    await h.press('lead', mine('edit'));
    await h.press('lead', h.ar('cooperatives:fields.locality.label'));
    const saved = await h.send('lead', 'مخيم جباليا');
    expect(textOf(saved)).toContain(mine('saved'));
    expect(textOf(saved)).toContain(h.ar('cooperatives:fields.locality.line', { value: 'مخيم جباليا' }));
    expect((await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } })).status).toBe(
      'APPROVED',
    );

    await h.press('lead', mine('edit'));
    const sectors = await h.press('lead', h.ar('cooperatives:fields.sectors.label'));
    expect(labelsOf(sectors)).toContain(`✅ ${h.ar('cooperatives:sectors.embroidery-textiles')}`);
    await h.press('lead', h.ar('cooperatives:sectors.dairy'));
    await h.press('lead', h.ar('cooperatives:fields.sectors.done'));
    expect((await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } })).sectors).toEqual(
      ['embroidery-textiles', 'dairy'],
    );

    await h.press('lead', mine('edit'));
    await h.press('lead', h.ar('cooperatives:fields.name.label'));
    const review = await h.send('lead', 'جمعية نساء جباليا');
    expect(textOf(review)).toContain(mine('savedForReview'));
    const after = await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    expect(after).toMatchObject({
      name: 'جمعية نساء جباليا',
      normalizedName: 'جمعية نساء جباليا',
      status: 'PENDING',
    });
    const posts = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain(h.ar('cooperatives:review.edited'));
    expect(posts[0]?.adminTarget).toEqual({ type: 'cooperative', id: cooperative.id });
    expect(await h.prisma.auditLog.count({ where: { action: 'cooperative.update' } })).toBe(3);

    // Approved again, it keeps the code its members already have.
    const approved = await h.services().cooperatives.approve(cooperative.id, API_ACTOR);
    expect(approved.ok && approved.cooperative.joinCode).toBe('K7M2QX');
  });

  it('shows a rejected lead the reason, and her correction goes back to review', async () => {
    await onboardMember(h, 'r1', 'هدى');
    const cooperative = await seedCooperative(h.prisma, { status: 'PENDING' });
    await seedMembership(h.prisma, await contactId('r1'), cooperative.id, { role: 'LEAD' });
    const rejected = await h.services().cooperatives.reject(cooperative.id, 'الاسم ناقص', API_ACTOR);
    expect(rejected.ok).toBe(true);
    const notice = await h.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'cooperative-status' } });
    expect((notice.payload as { text: string }).text).toBe(
      h.ar('cooperatives:notify.rejected', { name: cooperative.name, reason: 'الاسم ناقص' }),
    );

    const menu = await h.send('r1', 'القائمة');
    expect(labelsOf(menu)).toEqual(
      expect.arrayContaining([h.ar('cooperatives:menu.mine'), h.ar('cooperatives:menu.register')]),
    );
    const profile = await h.press('r1', h.ar('cooperatives:menu.mine'));
    expect(textOf(profile)).toContain(mine('rejectionReason', { reason: 'الاسم ناقص' }));
    await h.press('r1', mine('edit'));
    await h.press('r1', h.ar('cooperatives:fields.membersCount.label'));
    const resubmitted = await h.send('r1', '40');
    expect(textOf(resubmitted)).toContain(mine('savedForReview'));
    const after = await h.prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    expect(after).toMatchObject({ status: 'PENDING', rejectionReason: null, membersCount: 40 });
  });

  it('lets her withdraw a join request still waiting', async () => {
    const cooperative = await cooperativeWith('lead', []);
    await onboardMember(h, 'p1', 'وفاء');
    await seedMembership(h.prisma, await contactId('p1'), cooperative.id, { status: 'PENDING' });
    await h.send('p1', 'القائمة');
    const profile = await h.press('p1', h.ar('cooperatives:menu.mine'));
    expect(textOf(profile)).toContain(
      mine('pendingRequest', { name: cooperative.name, governorate: 'شمال غزة' }),
    );
    await h.press('p1', mine('withdraw'));
    const withdrawn = await h.press('p1', mine('yes'));
    expect(textOf(withdrawn)).toContain(mine('withdrawn'));
    expect(labelsOf(withdrawn)).toContain(h.ar('cooperatives:menu.join'));
  });
});
