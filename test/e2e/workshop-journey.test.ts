import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { governorateName } from '../../src/services/cooperative-messages.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { coordinatorsChat } from '../support/coordinators-chat.js';
import { startFakeTelegram } from '../support/fake-telegram.js';
import { ADMIN_CHAT, COORDINATOR, plain, telegramEnv, telegramUser } from '../support/telegram-app.js';
import { shownText, startWhatsAppCloudApp, whatsappUser } from '../support/whatsapp-cloud-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TITLE = 'ورشة التسويق الرقمي لمنتجات الجمعيات';
const PLACE = 'مركز شؤون المرأة – بيت لاهيا';
const NORTH_GAZA = governorateName('north-gaza', 'ar');
/** Members in North Gaza: two on Telegram, one on WhatsApp; and one in Gaza City, not invited. */
const AMAL = 810_001;
const SAMAR = 810_002;
const HUDA = '970599100200';
const RANA = 820_001;
const gazaDate = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Gaza' }).format(at);

/**
 * Issue 5's "done when", as a coordinator and the members would try it: a workshop for North Gaza's
 * cooperatives from the coordinators' chat, invitations answered on Telegram and WhatsApp, the counts
 * in the chat, and the reminders for those who will come. (The 3,000-recipient SIGKILL half is
 * test/e2e/broadcast-crash.test.ts.)
 */
describe('a workshop for North Gaza, from the coordinators chat to the reminders', () => {
  it('invites, takes the answers on each channel, shows the counts, and reminds those who come', async () => {
    // Time runs as usual; the test moves it forward to the days of the reminders.
    let ahead = 0;
    const now = () => Date.now() + ahead;
    const telegram = await startFakeTelegram({ maxHoldMs: 300 });
    cleanups.push(() => telegram.close());
    const started = await startWhatsAppCloudApp(
      {
        ...telegramEnv(telegram),
        WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update',
        // The answers come quickly after the invitation; WhatsApp's per-person pace would hold them.
        WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10',
      },
      { clock: () => new Date(now()) },
    );
    cleanups.push(started.cleanup);
    const { prisma, app } = started;
    const chat = coordinatorsChat(telegram);

    const hanoun = await seedCooperative(prisma, { name: 'جمعية نساء بيت حانون' });
    const jabalia = await seedCooperative(prisma, { name: 'جمعية الأمل في جباليا', locality: 'جباليا' });
    const zaytoun = await seedCooperative(prisma, { name: 'جمعية الزيتون', governorate: 'gaza' });
    const member = async (channel: 'telegram' | 'whatsapp-cloud', id: string, cooperativeId: string) => {
      const contact = await prisma.contact.create({
        data: {
          subscribed: true,
          consentAt: new Date(),
          channels: { create: { channel, externalId: id, lastInboundAt: new Date() } },
        },
      });
      await seedMembership(prisma, contact.id, cooperativeId);
      return contact.id;
    };
    const amalId = await member('telegram', String(AMAL), hanoun.id);
    const samarId = await member('telegram', String(SAMAR), hanoun.id);
    const hudaId = await member('whatsapp-cloud', HUDA, jabalia.id);
    await member('telegram', String(RANA), zaytoun.id);

    // The coordinator announces the workshop: three days from now, 10:00 to 12:00 in Gaza.
    await telegram.sendTextInChat(ADMIN_CHAT, COORDINATOR, `/event ${TITLE}`);
    const ask = await chat.postWith(ar('adminEvents:ask.titled', { title: TITLE }));
    const card = await chat.reply(
      ask,
      `المكان: ${PLACE}\nالموعد: ${gazaDate(now() + 3 * DAY)} 10:00\nالمدة: ساعتان\nالسعة: 25`,
    );
    await chat.press(card, ar('broadcasts:audience.governorates'));
    await chat.postNow(card, ar('broadcasts:chat.chooseGovernorates'));
    await chat.press(card, NORTH_GAZA);
    await chat.press(card, ar('broadcasts:chat.governoratesDone'));
    const preview = await chat.postNow(card, ar('adminEvents:card.willInvite', { count: 3 }));
    await chat.press(preview, ar('adminEvents:card.invite'));
    const event = await prisma.event.findFirstOrThrow({ where: { status: 'OPEN' } });
    expect(event.title).toBe(TITLE);

    // Each member gets the invitation on her own channel and answers it there.
    const amal = telegramUser(telegram, AMAL);
    const samar = telegramUser(telegram, SAMAR);
    const huda = whatsappUser(started.fake, HUDA);
    const invitations = [
      ...(await Promise.all([amal, samar].map((she) => she.receives(ar('events:invitation.title'))))).map(
        (m) => plain(m.text),
      ),
      shownText(await huda.receives(ar('events:invitation.title'))),
    ];
    for (const invitation of invitations) {
      expect(invitation).toContain(TITLE);
      expect(invitation).toContain(PLACE);
    }
    expect(telegram.messagesTo(RANA)).toHaveLength(0);

    await amal.press(ar('events:answer.yes'));
    await amal.receives(ar('events:answer.saved.YES'));
    await samar.press(ar('events:answer.no'));
    await samar.receives(ar('events:answer.saved.NO'));
    await huda.press(ar('events:answer.maybe'));
    await huda.receives(ar('events:answer.saved.MAYBE'));
    const answers = await prisma.invitation.findMany({ where: { eventId: event.id } });
    expect(Object.fromEntries(answers.map((i) => [i.contactId, i.response]))).toEqual({
      [amalId]: 'YES',
      [samarId]: 'NO',
      [hudaId]: 'MAYBE',
    });

    // The coordinator sees the counts, in all and for North Gaza.
    await telegram.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/events');
    const counts = plain(ar('events:summary.counts', { yes: 1, maybe: 1, no: 1, pending: 0 }));
    const list = await chat.postWith(ar('adminEvents:list.title'));
    expect(plain(list.text)).toContain(counts);
    expect(plain(list.text)).toContain(`• ${NORTH_GAZA}: ${counts}`);

    // A day before, and two hours before: reminders to Amal (attend) and Huda (maybe), not to Samar.
    const sentBefore = { amal: amal.sent(), samar: samar.sent(), huda: huda.sent() };
    for (const hours of [24, 2]) {
      ahead = event.startsAt.getTime() - hours * HOUR + 60_000 - Date.now();
      app.taawun.dispatcher.kick();
      const reminder = ar('events:reminder', { count: hours });
      await amal.receives(reminder, sentBefore.amal);
      // Her last message is days old by then: WhatsApp takes the reminder by template.
      const byTemplate = await huda.receives(reminder, sentBefore.huda);
      expect(byTemplate.body.type).toBe('template');
    }
    expect(samar.textsSince(sentBefore.samar).filter((t) => t.includes('⏰'))).toEqual([]);
    const sent = await prisma.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: `reminder:${event.id}:` }, status: 'SENT' },
    });
    expect(sent.map((r) => r.dedupeKey).sort()).toEqual(
      [amalId, hudaId].flatMap((id) => [24, 2].map((h) => `reminder:${event.id}:${id}:${h}h`)).sort(),
    );
  });
});
