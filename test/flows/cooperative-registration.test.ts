import { describe, expect, it } from 'vitest';
import { coordinatorPosts, seedCooperative } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100777';

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });

const field = (name: string, key: string, options?: Record<string, unknown>) =>
  h.ar(`cooperatives:fields.${name}.${key}`, options);
const sector = (slug: string) => h.ar(`cooperatives:sectors.${slug}`);
const stepOf = async (user: string) => (await h.conversationOf(user))?.step;
const dataOf = async (user: string) =>
  ((await h.conversationOf(user))?.data as { values?: Record<string, unknown> } | undefined)?.values;

/** From the menu to the town question, with a name and North Gaza. */
async function upToLocality(user: string, name: string) {
  await onboardMember(h, user, 'أمل');
  await h.press(user, h.ar('cooperatives:menu.register'));
  await h.send(user, name);
  await h.press(user, h.ar('cooperatives:legalForms.CHARITY'));
  return h.send(user, 'شمال غزه');
}

describe('registering a cooperative', () => {
  it('walks through every question, takes a change from the summary, and sends it for review', async () => {
    const menu = await onboardMember(h, 'r1', 'أمل');
    expect(labelsOf(menu)).toEqual(
      expect.arrayContaining([h.ar('cooperatives:menu.register'), h.ar('cooperatives:menu.join')]),
    );
    expect(labelsOf(menu)).not.toContain(h.ar('cooperatives:menu.mine'));

    const name = await h.press('r1', h.ar('cooperatives:menu.register'));
    expect(textOf(name)).toContain(h.ar('cooperatives:register.intro'));
    expect(textOf(name)).toContain(field('name', 'prompt'));

    const empty = await h.send('r1', '   ');
    expect(textOf(empty)).toContain(field('name', 'invalid', { min: 2, max: 100 }));
    expect(await stepOf('r1')).toBe('name');

    const legalForm = await h.send('r1', '  جمعية   نساء بيت حانون ');
    expect(labelsOf(legalForm)).toContain(h.ar('cooperatives:legalForms.CHARITY'));
    const governorate = await h.press('r1', h.ar('cooperatives:legalForms.CHARITY'));
    expect(labelsOf(governorate)).toContain('شمال غزة');
    expect(labelsOf(governorate)).toContain('الخليل');

    const notFound = await h.send('r1', 'باريس');
    expect(textOf(notFound)).toContain(field('governorate', 'notFound'));
    const locality = await h.send('r1', 'محافظة شمال غزه');
    expect(textOf(locality)).toContain(field('locality', 'prompt'));

    await h.send('r1', 'بيت حانون');
    await h.press('r1', sector('food-processing'));
    await h.press('r1', sector('embroidery-textiles'));
    const removed = await h.press('r1', `✅ ${sector('food-processing')}`);
    expect(textOf(removed)).toContain(field('sectors', 'removed', { sector: sector('food-processing') }));
    expect(labelsOf(removed)).toContain(`✅ ${sector('embroidery-textiles')}`);
    await h.send('r1', 'زراعه'); // typed label of an unmarked sector toggles it too
    const members = await h.press('r1', field('sectors', 'done'));
    expect(textOf(members)).toContain(field('membersCount', 'prompt'));

    const letters = await h.send('r1', 'كثير');
    expect(textOf(letters)).toContain(field('membersCount', 'notANumber'));
    const tooMany = await h.send('r1', '100000');
    expect(textOf(tooMany)).toContain(field('membersCount', 'outOfRange', { min: 2, max: 5000 }));
    expect(await stepOf('r1')).toBe('membersCount');
    await h.send('r1', '٢٥');

    const long = await h.send('r1', 'ت'.repeat(5000));
    expect(textOf(long)).toContain(field('description', 'tooLong', { count: 5000, max: 1000 }));
    expect(await stepOf('r1')).toBe('description');
    const phone = await h.send('r1', 'نطرّز الأثواب الفلسطينية ونصنع المعجنات.');
    expect(textOf(phone)).toContain(field('contactPhone', 'prompt'));

    const impossible = await h.send('r1', '12345');
    expect(textOf(impossible)).toContain(field('contactPhone', 'invalid'));
    expect(await stepOf('r1')).toBe('contactPhone');
    expect(await dataOf('r1')).toMatchObject({ name: 'جمعية نساء بيت حانون', membersCount: 25 });

    const summary = await h.send('r1', '٠٥٩٩١٢٣٤٥٦');
    expect(textOf(summary)).toContain(h.ar('cooperatives:register.summary'));
    expect(textOf(summary)).toContain(field('membersCount', 'line', { value: '25' }));
    expect(textOf(summary)).toContain('+970599123456');

    await h.press('r1', h.ar('cooperatives:register.edit'));
    const count = await h.press('r1', field('membersCount', 'label'));
    expect(textOf(count)).toContain(field('membersCount', 'prompt'));
    const back = await h.send('r1', '30 عضوة');
    expect(await stepOf('r1')).toBe('summary');
    expect(textOf(back)).toContain(field('membersCount', 'line', { value: '30' }));
    expect(textOf(back)).toContain(field('locality', 'line', { value: 'بيت حانون' }));

    const done = await h.press('r1', h.ar('cooperatives:register.submit'));
    expect(textOf(done)).toContain(h.ar('cooperatives:register.submitted', { name: 'جمعية نساء بيت حانون' }));
    expect(labelsOf(done)).toContain(h.ar('cooperatives:menu.mine'));
    expect(labelsOf(done)).not.toContain(h.ar('cooperatives:menu.register'));

    const contact = await h.contactOf('r1');
    const cooperative = await h.prisma.cooperative.findFirstOrThrow({ include: { memberships: true } });
    expect(cooperative).toMatchObject({
      name: 'جمعية نساء بيت حانون',
      normalizedName: 'جمعية نساء بيت حانون',
      legalForm: 'CHARITY',
      governorate: 'north-gaza',
      locality: 'بيت حانون',
      sectors: ['embroidery-textiles', 'agriculture'],
      membersCount: 30,
      description: 'نطرّز الأثواب الفلسطينية ونصنع المعجنات.',
      contactPhone: '+970599123456',
      status: 'PENDING',
      joinCode: null,
      createdById: contact?.id,
    });
    expect(cooperative.memberships).toEqual([
      expect.objectContaining({ contactId: contact?.id, role: 'LEAD', status: 'ACTIVE' }),
    ]);
    const [post] = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(post?.adminTarget).toEqual({ type: 'cooperative', id: cooperative.id });
    expect(post?.choices?.map((c) => c.id)).toEqual([
      `cooperative.approve:${cooperative.id}`,
      `cooperative.reject:${cooperative.id}`,
    ]);
    expect(post?.text).toContain('+970599123456');
    expect(post?.text).toContain('أمل');
    expect(await h.prisma.auditLog.count({ where: { action: 'cooperative.register' } })).toBe(1);
  });

  it('points out the same name in the same governorate and offers to join it instead', async () => {
    const existing = await seedCooperative(h.prisma, { name: 'جمعيّة نساء بيت حانون' });
    const warning = await upToLocality('r2', 'جمعية نساء بيت حانون');
    expect(await stepOf('r2')).toBe('duplicate');
    expect(textOf(warning)).toContain(
      h.ar('cooperatives:register.duplicate', { name: existing.name, governorate: 'شمال غزة' }),
    );
    const confirm = await h.press('r2', h.ar('cooperatives:register.joinInstead'));
    expect(textOf(confirm)).toContain(
      h.ar('cooperatives:join.confirm', { name: existing.name, governorate: 'شمال غزة' }),
    );
    await h.press('r2', h.ar('cooperatives:join.confirmYes'));
    const contact = await h.contactOf('r2');
    const request = await h.prisma.membership.findUniqueOrThrow({ where: { contactId: contact?.id } });
    expect(request).toMatchObject({ cooperativeId: existing.id, status: 'PENDING', role: 'MEMBER' });
    expect(await h.prisma.cooperative.count()).toBe(1);
  });

  it('goes on with hers when the cooperative of that name is a different one', async () => {
    await seedCooperative(h.prisma, { status: 'PENDING' });
    const warning = await upToLocality('r3', 'جمعية نساء بيت حانون');
    expect(labelsOf(warning)).not.toContain(h.ar('cooperatives:register.joinInstead'));
    const locality = await h.press('r3', h.ar('cooperatives:register.notMine'));
    expect(textOf(locality)).toContain(field('locality', 'prompt'));
    expect(await dataOf('r3')).toMatchObject({ governorate: 'north-gaza', legalForm: 'CHARITY' });
  });

  it('does not warn about the same name in another governorate', async () => {
    await seedCooperative(h.prisma, { governorate: 'hebron' });
    const locality = await upToLocality('r4', 'جمعية نساء بيت حانون');
    expect(textOf(locality)).toContain(field('locality', 'prompt'));
  });

  it('offers her own number on a channel that knows it, and the register entry only without a cooperative', async () => {
    await onboardMember(h, 'r5', 'هدى');
    const contact = await h.contactOf('r5');
    await h.prisma.contact.update({ where: { id: contact?.id }, data: { phone: '+970599555111' } });
    await h.press('r5', h.ar('cooperatives:menu.register'));
    await h.send('r5', 'تعاونية الزيتون');
    await h.press('r5', h.ar('cooperatives:legalForms.COOPERATIVE'));
    await h.send('r5', 'نابلس');
    await h.send('r5', 'عصيرة الشمالية');
    await h.press('r5', sector('agriculture'));
    await h.press('r5', field('sectors', 'done'));
    await h.send('r5', '12');
    const phone = await h.press('r5', field('description', 'skip'));
    expect(textOf(phone)).toContain(field('contactPhone', 'promptKnown'));
    const summary = await h.send('r5', '1');
    expect(textOf(summary)).toContain('+970599555111');
    expect(textOf(summary)).toContain(field('description', 'line', { value: h.ar('cooperatives:none') }));

    // She joins another cooperative meanwhile: sending is refused, politely.
    const other = await seedCooperative(h.prisma);
    await h.prisma.membership.create({
      data: { contactId: contact?.id ?? '', cooperativeId: other.id, status: 'ACTIVE' },
    });
    const refused = await h.press('r5', h.ar('cooperatives:register.submit'));
    expect(textOf(refused)).toContain(h.ar('cooperatives:register.alreadyMember'));
    expect(labelsOf(refused)).not.toContain(h.ar('cooperatives:menu.register'));
    expect(await h.prisma.cooperative.count()).toBe(1);
  });
});
