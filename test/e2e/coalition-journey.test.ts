import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { webUser } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { onboardChatUser } from '../support/onboarding.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  eventually,
  inlineButtons,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const TOKEN = 'journey-admin-token-0123456789abcdef';
const LEAD = 6101;
const cleanups = useCleanups();

/**
 * The issue's "done when", as people would live it: a woman registers her cooperative on Telegram,
 * a coordinator approves it in the coordinators' chat, a second woman joins with the code on the
 * web chat, the first asks about a loan and receives the coordinator's answer, and the admin API
 * shows the cooperative with two members.
 */
describe('a cooperative from registration to its first loan answer', () => {
  it('works across Telegram, the coordinators chat, the web chat and the admin API', async () => {
    const { fake, app, prisma, cleanup } = await startTelegramApp({ ADMIN_API_TOKEN: TOKEN });
    cleanups.push(cleanup);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${app.baseUrl}/api${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });

    // She registers her cooperative in Arabic on Telegram.
    const lead = telegramUser(fake, LEAD);
    await onboardChatUser(lead);
    await lead.press(ar('cooperatives:menu.register'));
    await lead.say('جمعية نساء بيت حانون للتطريز');
    await lead.press(ar('cooperatives:legalForms.CHARITY'));
    await lead.say('شمال غزة');
    await lead.say('بيت حانون');
    await lead.press(ar('cooperatives:sectors.embroidery-textiles'));
    await lead.press(ar('cooperatives:fields.sectors.done'));
    await lead.say('٢٠');
    await lead.say('نطرّز الأثواب الفلسطينية ونبيعها في السوق المحلي');
    await lead.sharePhone('970599123456');
    const before = lead.sent();
    await lead.press(ar('cooperatives:register.submit'));
    expect(lead.textsSince(before).join('\n')).toContain('جمعية نساء بيت حانون للتطريز');

    // A coordinator approves it in the coordinators' chat; she is told and gets the join code.
    const cooperative = await prisma.cooperative.findFirstOrThrow();
    const post = await chatPost(fake, (m) => inlineButtons(m).length === 2);
    const toldBefore = lead.sent();
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|cooperative.approve:${cooperative.id}`,
    );
    const { joinCode } = await eventually(async () => {
      const row = await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
      return row.status === 'APPROVED' ? row : undefined;
    });
    const code = joinCode ?? '';
    await eventually(() => (lead.textsSince(toldBefore).some((t) => t.includes(code)) ? true : undefined));

    // A second woman joins with the code on the web chat.
    const second = webUser(app, 'second-woman-session');
    await onboardChatUser(second);
    await second.press(ar('cooperatives:menu.join'));
    const joinedBefore = lead.sent();
    const joined = await second.say(code.toLowerCase());
    expect(joined.map((m) => m.text).join('\n')).toContain('أصبحتِ عضوة');
    // She gave no name on the web chat: the lead is told "a member who gave no name" joined.
    await eventually(() =>
      lead.textsSince(joinedBefore).some((t) => t.includes(ar('cooperatives:unnamed'))) ? true : undefined,
    );

    // She asks about a loan; a coordinator answers by replying to the request's post.
    const created = await api('/funding-programs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'قروض المشاريع الصغيرة',
        provider: 'مؤسسة فاتن',
        kind: 'LOAN',
        currency: 'USD',
        minAmountMinor: 50_000,
        maxAmountMinor: 500_000,
        eligibility: 'جمعية تعاونية أو خيرية مسجّلة',
        howToApply: 'عبر المنسّقة',
      }),
    });
    expect(created.status).toBe(201);
    await lead.say('القائمة');
    await lead.press(ar('funding:menu.programs'));
    await lead.say('1');
    await lead.press(ar('funding:details.apply'));
    await lead.say('٢٠٠٠ دولار');
    await lead.say('شراء ماكينتي تطريز وخيوط للموسم');
    await lead.press(ar('funding:request.forCooperative', { name: cooperative.name }));
    await lead.press(ar('funding:request.send'));
    const request = await prisma.fundingRequest.findFirstOrThrow();
    expect(request).toMatchObject({ amountMinor: 200_000, currency: 'USD', cooperativeId: cooperative.id });
    const requestPost = await chatPost(fake, (m) =>
      inlineButtons(m).some((b) => 'callback_data' in b && b.callback_data.includes(request.id)),
    );
    const answerBefore = lead.sent();
    await fake.replyInChat(
      ADMIN_CHAT,
      COORDINATOR,
      requestPost.message_id,
      'تمت الموافقة المبدئية، سنتواصل معكِ لتحديد موعد.',
    );
    await eventually(() =>
      lead.textsSince(answerBefore).some((t) => t.includes('تمت الموافقة المبدئية')) ? true : undefined,
    );
    expect((await prisma.fundingRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      'ANSWERED',
    );

    // The admin API shows the approved cooperative with two members.
    const listed = await (await api('/cooperatives?status=APPROVED')).json();
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({
      name: 'جمعية نساء بيت حانون للتطريز',
      status: 'APPROVED',
      members: 2,
    });
  });
});
