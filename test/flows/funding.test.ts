import { describe, expect, it } from 'vitest';
import type { FundingProgram } from '../../src/generated/sqlite/client.js';
import { formatPrice } from '../../src/i18n/format.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { LOAN_PROGRAM } from '../support/funding.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100777';
const API_ACTOR = { label: 'admin-token:test', channel: 'api' };

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });

const program = (fields: Partial<FundingProgram> = {}) =>
  h.prisma.fundingProgram.create({ data: { ...LOAN_PROGRAM, ...fields } });

const programLabel = (p: FundingProgram) =>
  h.ar('funding:programs.choice', { name: p.name, kind: h.ar(`funding:kinds.${p.kind}`) });

describe('funding programs', () => {
  it('lists the open programs, shows a card, and sends a request for one to the coordinators', async () => {
    const loan = await program();
    await program({ name: 'منحة قديمة', kind: 'GRANT', status: 'ARCHIVED' });
    const menu = await onboardMember(h, 'm1');
    expect(labelsOf(menu)).toContain(h.ar('funding:menu.programs'));
    expect(labelsOf(menu)).not.toContain(h.ar('funding:menu.myRequests'));

    const list = await h.press('m1', h.ar('funding:menu.programs'));
    expect(textOf(list)).toContain(h.ar('funding:programs.count', { count: 1 }));
    expect(labelsOf(list)).toEqual([
      programLabel(loan),
      h.ar('funding:programs.need'),
      h.ar('engine:nav.menu'),
    ]);

    const card = await h.press('m1', programLabel(loan));
    expect(textOf(card)).toContain('فاتن للإقراض');
    expect(textOf(card)).toContain(formatPrice(500_000, 'USD', 'ar'));
    expect(textOf(card)).toContain('تعبئة نموذج الطلب');

    const amount = await h.press('m1', h.ar('funding:details.apply'));
    expect(textOf(amount)).toContain(h.ar('funding:request.amount'));
    const tooMuch = await h.send('m1', '٩٠٠٠ دولار');
    const range = h.ar('funding:amount.range', {
      min: formatPrice(50_000, 'USD', 'ar'),
      max: formatPrice(500_000, 'USD', 'ar'),
    });
    expect(textOf(tooMuch)).toContain(h.ar('funding:request.errors.out_of_range'));
    expect(textOf(tooMuch)).toContain(h.ar('funding:request.amountRange', { range }));
    expect((await h.conversationOf('m1'))?.step).toBe('amount');

    await h.send('m1', '١٥٠٠ دولار');
    const confirm = await h.send('m1', 'شراء ماكينة خياطة ثانية لزيادة الإنتاج');
    expect(textOf(confirm)).toContain(h.ar('funding:request.summary.program', { name: loan.name }));
    expect(textOf(confirm)).toContain(formatPrice(150_000, 'USD', 'ar'));
    expect(labelsOf(confirm)).not.toContain(h.ar('funding:request.forCooperative', { name: 'x' }));

    const sent = await h.press('m1', h.ar('funding:request.send'));
    const request = await h.prisma.fundingRequest.findFirstOrThrow();
    expect(request).toMatchObject({
      programId: loan.id,
      amountMinor: 150_000,
      currency: 'USD',
      beneficiary: 'SELF',
      cooperativeId: null,
      status: 'NEW',
    });
    expect(request.history).toEqual([expect.objectContaining({ status: 'NEW', by: 'contact' })]);
    expect(textOf(sent)).toContain(request.id.slice(-6).toUpperCase());
    expect(labelsOf(sent)).toContain(h.ar('funding:menu.myRequests'));

    const post = await h.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: ADMIN_CHAT } });
    const payload = post.payload as { text: string; choices: { id: string }[]; adminTarget: unknown };
    expect(payload.adminTarget).toEqual({ type: 'funding-request', id: request.id });
    expect(payload.choices.map((c) => c.id)).toEqual([
      `funding.inReview:${request.id}`,
      `funding.answered:${request.id}`,
      `funding.close:${request.id}`,
    ]);
    expect(payload.text).toContain('شراء ماكينة خياطة');
    expect(await h.prisma.auditLog.count({ where: { action: 'funding-request.create' } })).toBe(1);
  });

  it('takes a described need with "٥٠٠ دولار", for her cooperative when she is a member of an approved one', async () => {
    await onboardMember(h, 'm2');
    const contact = await h.contactOf('m2');
    const cooperative = await h.prisma.cooperative.create({
      data: {
        name: 'جمعية نساء بيت حانون',
        normalizedName: 'جمعيه نساء بيت حانون',
        legalForm: 'COOPERATIVE',
        governorate: 'north-gaza',
        locality: 'بيت حانون',
        sectors: [],
        membersCount: 20,
        status: 'APPROVED',
      },
    });
    await h.prisma.membership.create({
      data: { contactId: contact?.id ?? '', cooperativeId: cooperative.id, status: 'ACTIVE' },
    });

    const list = await h.press('m2', h.ar('funding:menu.programs'));
    expect(textOf(list)).toContain(h.ar('funding:programs.count', { count: 0 }));
    await h.press('m2', h.ar('funding:programs.need'));
    await h.send('m2', '٥٠٠ دولار');
    const forWhom = await h.send('m2', 'مواد خام للتطريز');
    const forCooperative = h.ar('funding:request.forCooperative', { name: cooperative.name });
    expect(labelsOf(forWhom)).toEqual([
      h.ar('funding:request.forMe'),
      forCooperative,
      expect.any(String),
      expect.any(String),
    ]);
    const confirm = await h.press('m2', forCooperative);
    expect(textOf(confirm)).toContain(h.ar('funding:request.summary.need'));
    expect(textOf(confirm)).toContain(formatPrice(50_000, 'USD', 'ar'));
    await h.send('m2', 'نعم');

    const request = await h.prisma.fundingRequest.findFirstOrThrow();
    expect(request).toMatchObject({
      programId: null,
      amountMinor: 50_000,
      currency: 'USD',
      beneficiary: 'COOPERATIVE',
      cooperativeId: cooperative.id,
      purpose: 'مواد خام للتطريز',
    });
  });

  it('answers bad amounts politely on the same step, and takes "no set amount"', async () => {
    await onboardMember(h, 'm3');
    await h.press('m3', h.ar('funding:menu.programs'));
    await h.press('m3', h.ar('funding:programs.need'));
    const cases: [string, string][] = [
      ['كثير', 'not_a_number'],
      ['-300', 'not_positive'],
      ['0 شيكل', 'not_positive'],
      ['200 يورو', 'unsupported_currency'],
      ['5000000 دولار', 'too_large'],
    ];
    for (const [typed, error] of cases) {
      const reply = await h.send('m3', typed);
      expect(textOf(reply)).toContain(h.ar(`funding:request.errors.${error}`));
      expect(textOf(reply)).toContain(h.ar('funding:request.amount'));
      expect((await h.conversationOf('m3'))?.step).toBe('amount');
    }
    const purpose = await h.press('m3', h.ar('funding:request.skipAmount'));
    expect(textOf(purpose)).toContain(h.ar('funding:request.purpose'));
    const short = await h.send('m3', 'فرن');
    expect(textOf(short)).toContain(h.ar('funding:request.purposeTooShort'));
    const confirm = await h.send('m3', 'فرن للمعجنات');
    expect(textOf(confirm)).toContain(
      h.ar('funding:request.summary.amount', { amount: h.ar('funding:amount.none') }),
    );
    const notSent = await h.press('m3', h.ar('funding:request.dontSend'));
    expect(textOf(notSent)).toContain(h.ar('funding:request.notSent'));
    expect(await h.prisma.fundingRequest.count()).toBe(0);
  });

  it('pages through many programs', async () => {
    for (let i = 1; i <= 8; i++)
      await program({ name: `برنامج ${i}`, createdAt: new Date(Date.UTC(2026, 0, i)) });
    await onboardMember(h, 'm4');
    const first = await h.press('m4', h.ar('funding:menu.programs'));
    expect(textOf(first)).toContain(h.ar('funding:paging.page', { page: 1, pages: 2 }));
    expect(labelsOf(first).filter((l) => l.includes('برنامج'))).toHaveLength(6);
    const second = await h.press('m4', h.ar('funding:paging.next'));
    expect(textOf(second)).toContain(h.ar('funding:paging.page', { page: 2, pages: 2 }));
    expect(labelsOf(second)).toContain(h.ar('funding:paging.previous'));
    expect(labelsOf(second).filter((l) => l.includes('برنامج'))).toHaveLength(2);
  });

  it('says so when a program was archived while she looked at it', async () => {
    const loan = await program();
    await onboardMember(h, 'm5');
    await h.press('m5', h.ar('funding:menu.programs'));
    await h.press('m5', programLabel(loan));
    await h.prisma.fundingProgram.update({ where: { id: loan.id }, data: { status: 'ARCHIVED' } });
    const gone = await h.press('m5', h.ar('funding:details.apply'));
    expect(textOf(gone)).toContain(h.ar('funding:programs.gone'));
    expect((await h.conversationOf('m5'))?.step).toBe('programs');
  });
});

describe('my funding requests', () => {
  it('shows each request with its status in words and the coordinator answer, which also reaches her', async () => {
    await onboardMember(h, 'm6');
    await h.press('m6', h.ar('funding:menu.programs'));
    await h.press('m6', h.ar('funding:programs.need'));
    await h.send('m6', '2000 شيكل');
    await h.send('m6', 'ثلاجة لحفظ الأجبان');
    await h.press('m6', h.ar('funding:request.send'));
    const request = await h.prisma.fundingRequest.findFirstOrThrow();

    const answer = 'نعم، سنرشّحكِ لبرنامج المنح في الدورة القادمة';
    const { funding } = h.services();
    const first = await funding.setStatus(request.id, { status: 'ANSWERED', answer }, API_ACTOR, new Date());
    expect(first.changed).toBe(true);
    const again = await funding.setStatus(request.id, { status: 'ANSWERED' }, API_ACTOR, new Date());
    expect(again.changed).toBe(false);
    const notices = await h.prisma.outboxMessage.findMany({ where: { kind: 'funding-status' } });
    expect(notices).toHaveLength(1);
    expect((notices[0]?.payload as { text: string } | undefined)?.text).toContain(answer);

    const menu = await h.send('m6', 'القائمة');
    const list = await h.press('m6', h.ar('funding:menu.myRequests'));
    expect(labelsOf(menu)).toContain(h.ar('funding:menu.myRequests'));
    expect(textOf(list)).toContain(h.ar('funding:myRequests.count', { count: 1 }));
    expect(textOf(list)).toContain(h.ar('funding:status.ANSWERED'));
    const ref = request.id.slice(-6).toUpperCase();
    const detail = await h.press(
      'm6',
      h.ar('funding:myRequests.choice', { ref, status: h.ar('funding:status.ANSWERED') }),
    );
    expect(textOf(detail)).toContain(answer);
    expect(textOf(detail)).toContain(formatPrice(200_000, 'ILS', 'ar'));
    const history = (await h.prisma.fundingRequest.findUniqueOrThrow({ where: { id: request.id } })).history;
    expect(history).toEqual([
      expect.objectContaining({ status: 'NEW' }),
      expect.objectContaining({ status: 'ANSWERED', by: API_ACTOR.label, note: answer }),
    ]);
  });
});
