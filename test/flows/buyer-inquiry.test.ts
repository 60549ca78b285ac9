import { describe, expect, it } from 'vitest';
import { formatPrice } from '../../src/i18n/format.js';
import { INQUIRY_TEXT_MAX } from '../../src/services/inquiries.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';
import { seedProduct } from '../support/products.js';

const h = useEngineHarness();

const QUESTION = 'هل يتوفر الزيت بعبوات ٥ لتر؟ وكم سعر التوصيل إلى رام الله؟';
const ANSWER = 'نعم متوفر، والتوصيل إلى رام الله 20 شيكل.';
const FOLLOW_UP = 'ممتاز، أريد عبوتين من فضلكِ.';
const BUYER_PHONE = '+970599111222';

/** A cooperative with two members on the bot, and an olive oil buyers can see. */
async function seedCooperativeWithMembers() {
  const cooperative = await seedCooperative(h.prisma, { name: 'جمعية نساء بيت حانون' });
  const product = await seedProduct(h.prisma, cooperative.id, { name: 'زيت زيتون بلدي' });
  for (const [user, name, role] of [
    ['m1', 'سعاد', 'LEAD'],
    ['m2', 'منى', 'MEMBER'],
  ] as const) {
    await onboardMember(h, user, name);
    const contact = await h.contactOf(user);
    await seedMembership(h.prisma, contact?.id ?? '', cooperative.id, { role });
  }
  return { cooperative, product };
}

/** The outbox payloads queued for the contact behind `user`, oldest first. */
async function outboxOf(user: string, kind: string) {
  const contact = await h.contactOf(user);
  const rows = await h.prisma.outboxMessage.findMany({
    where: { kind, contactChannel: { contactId: contact?.id ?? '' } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((row) => (row.payload as { text: string }).text);
}

/** A buyer named "سلمى أحمد" with a phone, at the card of `product`. */
async function buyerAtCard(product: { name: string; priceMinor: number }) {
  await onboardMember(h, 'b1', 'سلمى أحمد');
  const buyer = await h.contactOf('b1');
  await h.prisma.contact.update({ where: { id: buyer?.id ?? '' }, data: { phone: BUYER_PHONE } });
  await h.press('b1', h.ar('catalogue:menu.catalogue'));
  await h.press('b1', h.ar('catalogue:search.button'));
  await h.send('b1', 'زيت');
  const label = h.ar('catalogue:list.choice', {
    name: product.name,
    price: formatPrice(product.priceMinor, 'ILS', 'ar'),
  });
  return h.press('b1', label);
}

describe('a buyer asks a cooperative through the bot', () => {
  it('relays the question to the members, their answer to the buyer, her reply back, and the close', async () => {
    const { cooperative, product } = await seedCooperativeWithMembers();
    await buyerAtCard(product);
    const ask = await h.press('b1', h.ar('catalogue:card.contact'));
    expect(textOf(ask)).toContain(
      h.ar('catalogue:ask.prompt', {
        cooperative: cooperative.name,
        product: product.name,
        max: INQUIRY_TEXT_MAX,
      }),
    );
    const tooLong = await h.send('b1', 'س'.repeat(INQUIRY_TEXT_MAX + 1));
    expect(textOf(tooLong)).toContain(
      h.ar('catalogue:inquiry.errors.too_long', { max: INQUIRY_TEXT_MAX, count: INQUIRY_TEXT_MAX + 1 }),
    );
    expect(textOf(tooLong)).toContain(`(${INQUIRY_TEXT_MAX + 1} حرف)`);
    expect(await h.prisma.buyerInquiry.count()).toBe(0);

    const sent = await h.send('b1', QUESTION);
    expect(textOf(sent)).toContain(h.ar('catalogue:ask.sent'));
    expect(labelsOf(sent)).toContain(h.ar('catalogue:menu.myQuestions'));
    expect(labelsOf(sent)).not.toContain(h.ar('catalogue:menu.buyerQuestions'));
    const inquiry = await h.prisma.buyerInquiry.findFirstOrThrow({ include: { messages: true } });
    expect(inquiry).toMatchObject({ cooperativeId: cooperative.id, productId: product.id, status: 'OPEN' });
    expect(inquiry.messages).toEqual([expect.objectContaining({ authorRole: 'buyer', text: QUESTION })]);

    for (const member of ['m1', 'm2']) {
      const [notice] = await outboxOf(member, 'buyer-inquiry');
      expect(notice).toContain(h.ar('catalogue:inquiry.notify.new', { name: 'سلمى', product: product.name }));
      expect(notice).toContain(QUESTION);
      expect(notice).toContain(h.ar('catalogue:inquiry.notify.howToAnswer'));
      expect(notice).not.toContain(BUYER_PHONE);
      expect(notice).not.toContain('أحمد');
    }

    // A member answers from her menu.
    const menu = await h.send('m1', 'القائمة');
    expect(labelsOf(menu)).toContain(h.ar('catalogue:menu.buyerQuestions'));
    const list = await h.press('m1', h.ar('catalogue:menu.buyerQuestions'));
    expect(textOf(list)).toContain(h.ar('catalogue:questions.member.count', { count: 1 }));
    const choice = h.ar('catalogue:questions.member.choice', {
      status: h.ar('catalogue:questions.member.statusIcon.OPEN'),
      who: 'سلمى',
      product: product.name,
    });
    const thread = await h.press('m1', choice);
    expect(textOf(thread)).toContain(h.ar('catalogue:thread.buyer', { name: 'سلمى', text: QUESTION }));
    expect(textOf(thread)).not.toContain(BUYER_PHONE);
    const answered = await h.send('m1', ANSWER);
    expect(textOf(answered)).toContain(h.ar('catalogue:questions.member.sent'));
    expect(await h.prisma.buyerInquiry.findFirstOrThrow()).toMatchObject({ status: 'ANSWERED' });

    const [answer] = await outboxOf('b1', 'inquiry-answer');
    expect(answer).toContain(
      h.ar('catalogue:inquiry.notify.answer', { cooperative: cooperative.name, product: product.name }),
    );
    expect(answer).toContain(ANSWER);
    expect(answer).not.toContain('سعاد');

    // The buyer reads the thread and writes back: the members are told again.
    const mine = await h.send('b1', 'القائمة');
    await h.press('b1', h.ar('catalogue:menu.myQuestions'));
    const buyerThread = await h.press(
      'b1',
      h.ar('catalogue:questions.buyer.choice', {
        status: h.ar('catalogue:questions.buyer.statusIcon.ANSWERED'),
        who: cooperative.name,
        product: product.name,
      }),
    );
    expect(labelsOf(mine)).toContain(h.ar('catalogue:menu.myQuestions'));
    expect(textOf(buyerThread)).toContain(h.ar('catalogue:thread.you', { text: QUESTION }));
    expect(textOf(buyerThread)).toContain(
      h.ar('catalogue:thread.cooperative', { name: cooperative.name, text: ANSWER }),
    );
    const wroteBack = await h.send('b1', FOLLOW_UP);
    expect(textOf(wroteBack)).toContain(h.ar('catalogue:questions.buyer.sent'));
    expect(await h.prisma.buyerInquiry.findFirstOrThrow()).toMatchObject({ status: 'OPEN' });
    for (const member of ['m1', 'm2']) {
      const notices = await outboxOf(member, 'buyer-inquiry');
      expect(notices).toHaveLength(2);
      expect(notices[1]).toContain(
        h.ar('catalogue:inquiry.notify.more', { name: 'سلمى', product: product.name }),
      );
      expect(notices[1]).toContain(FOLLOW_UP);
    }

    // The other member closes it; the buyer is told and can no longer write in it.
    await h.send('m2', 'القائمة');
    await h.press('m2', h.ar('catalogue:menu.buyerQuestions'));
    const m2Thread = await h.press('m2', choice);
    expect(textOf(m2Thread)).toContain(
      h.ar('catalogue:thread.cooperative', { name: cooperative.name, text: ANSWER }),
    );
    await h.press('m2', h.ar('catalogue:questions.member.close'));
    const closed = await h.press('m2', h.ar('catalogue:questions.member.closeYes'));
    expect(textOf(closed)).toContain(h.ar('catalogue:questions.member.closed'));
    expect(textOf(closed)).toContain(h.ar('catalogue:questions.member.count', { count: 0 }));
    expect(await h.prisma.buyerInquiry.findFirstOrThrow()).toMatchObject({ status: 'CLOSED' });
    expect(await outboxOf('b1', 'inquiry-closed')).toEqual([
      h.ar('catalogue:inquiry.notify.closed', { cooperative: cooperative.name, product: product.name }),
    ]);
    expect(await h.prisma.auditLog.count({ where: { action: 'inquiry.close' } })).toBe(1);

    await h.send('b1', 'القائمة');
    await h.press('b1', h.ar('catalogue:menu.myQuestions'));
    const reopened = await h.press(
      'b1',
      h.ar('catalogue:questions.buyer.choice', {
        status: h.ar('catalogue:questions.buyer.statusIcon.CLOSED'),
        who: cooperative.name,
        product: product.name,
      }),
    );
    expect(textOf(reopened)).toContain(h.ar('catalogue:questions.buyer.closed'));
    const late = await h.send('b1', 'وصلني الرد، شكرًا');
    expect(textOf(late)).toContain(h.ar('catalogue:inquiry.errors.closed'));
    expect(await h.prisma.threadMessage.count()).toBe(3);
  });

  it('does not relay to a cooperative that is no longer approved', async () => {
    const { cooperative, product } = await seedCooperativeWithMembers();
    await buyerAtCard(product);
    await h.press('b1', h.ar('catalogue:card.contact'));
    await h.prisma.cooperative.update({ where: { id: cooperative.id }, data: { status: 'SUSPENDED' } });
    const refused = await h.send('b1', QUESTION);
    expect(textOf(refused)).toContain(h.ar('catalogue:card.gone'));
    expect(await h.prisma.buyerInquiry.count()).toBe(0);
    expect(await outboxOf('m1', 'buyer-inquiry')).toEqual([]);
    const menu = await h.send('m1', 'القائمة');
    expect(labelsOf(menu)).not.toContain(h.ar('catalogue:menu.buyerQuestions'));
  });

  it('lets members read only their own cooperative’s questions', async () => {
    const { product } = await seedCooperativeWithMembers();
    const other = await seedCooperative(h.prisma, { name: 'جمعية أخرى', governorate: 'hebron' });
    await onboardMember(h, 'x1', 'هند');
    const outsider = await h.contactOf('x1');
    await seedMembership(h.prisma, outsider?.id ?? '', other.id);
    await buyerAtCard(product);
    await h.press('b1', h.ar('catalogue:card.contact'));
    await h.send('b1', QUESTION);
    const inquiry = await h.prisma.buyerInquiry.findFirstOrThrow();

    const services = h.services();
    expect(await services.inquiries.memberThread(outsider?.id ?? '', inquiry.id)).toBeNull();
    expect(await services.inquiries.answer(outsider?.id ?? '', inquiry.id, 'رد من جمعية أخرى')).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(await outboxOf('x1', 'buyer-inquiry')).toEqual([]);
    await h.send('x1', 'القائمة');
    const list = await h.press('x1', h.ar('catalogue:menu.buyerQuestions'));
    expect(textOf(list)).toContain(h.ar('catalogue:questions.member.count', { count: 0 }));
  });
});
