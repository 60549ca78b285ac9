import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { audienceTag } from '../../src/admin-chat/broadcast-cards.js';
import { createI18n } from '../../src/i18n/i18n.js';
import type { Audience } from '../../src/services/broadcast-audience.js';
import { startTestApp } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { coordinatorsChat } from '../support/coordinators-chat.js';
import { startFakeTelegram } from '../support/fake-telegram.js';
import { PHOTOS } from '../support/photos.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  eventually,
  inlineButtons,
  plain,
} from '../support/telegram-app.js';

const STRANGER = 7002;
const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();
const BLOCKED = { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
/** How the configured coordinator is named under what she did (she has given no name). */
const COORDINATOR_LABEL = `telegram:${COORDINATOR} (Amal Test)`;
const NEWS = 'اجتماع الجمعيات يوم السبت في بيت حانون';

/** The whole app against the fake Bot API, sending fast and following broadcasts every 100 ms. */
const ADMIN_API_TOKEN = 'broadcast-test-admin-token-0123456789';

async function startBroadcastApp() {
  const fake = await startFakeTelegram({ maxHoldMs: 300 });
  const app = await startTestApp(
    {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
      COORDINATOR_TELEGRAM_IDS: String(COORDINATOR),
      TELEGRAM_RATE_PER_SECOND: '1000',
      ADMIN_API_TOKEN,
    },
    undefined,
    { broadcastProgress: { intervalMs: 100, minEditMs: 250 } },
  );
  cleanups.push(async () => {
    await app.cleanup();
    await fake.close();
  });
  const prisma = app.taawun.database.prisma;

  /** People reachable on Telegram (user ids from `firstId`), written straight to the database. */
  async function seedPeople(
    firstId: number,
    count: number,
    fields: { subscribed?: boolean; governorate?: string } = {},
  ) {
    const ids = Array.from({ length: count }, (_, i) => firstId + i);
    await prisma.$transaction(async (tx) => {
      for (const id of ids)
        await tx.contact.create({
          data: {
            subscribed: fields.subscribed ?? true,
            governorate: fields.governorate,
            consentAt: new Date(),
            channels: { create: { channel: 'telegram', externalId: String(id), lastInboundAt: new Date() } },
          },
        });
    });
    return ids;
  }

  const { press, postNow, postWith } = coordinatorsChat(fake);

  return { fake, app, prisma, seedPeople, press, postNow, postWith };
}

describe('broadcasts from the coordinators chat', () => {
  it('walks /broadcast → audience → preview → send; each reachable subscriber gets one message', async () => {
    const { fake, prisma, seedPeople, press, postNow, postWith } = await startBroadcastApp();
    const subscribers = await seedPeople(200_000, 300);
    const stopped = await seedPeople(300_000, 5, { subscribed: false });
    const blocked = subscribers.slice(0, 3);
    for (const id of blocked) fake.failSendsTo(id, BLOCKED);

    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, `/broadcast ${NEWS}`);
    const card = await postWith(ar('broadcasts:chat.chooseAudience'));
    expect(plain(card.text)).toContain(NEWS);
    const draft = await prisma.broadcast.findFirstOrThrow();
    expect(draft).toMatchObject({ status: 'DRAFT', audience: {} });

    // Someone who is not a coordinator presses: a notice, and nothing changes.
    expect(await press(card, ar('broadcasts:audience.all'), STRANGER)).toBe(ar('admin:notCoordinator'));
    expect(await prisma.broadcast.findFirstOrThrow()).toMatchObject({ audience: {} });
    expect(fake.callsTo('editMessageText')).toHaveLength(0);

    await press(card, ar('broadcasts:audience.all'));
    const preview = await postNow(card, ar('broadcasts:chat.preview'));
    expect(plain(preview.text)).toContain(ar('broadcasts:recipients', { count: 300 }));
    expect(inlineButtons(preview).map((b) => b.text)).toEqual([
      ar('broadcasts:chat.send'),
      ar('broadcasts:chat.schedule'),
      ar('broadcasts:chat.changeAudience'),
      ar('broadcasts:chat.cancel'),
    ]);

    const queued = await press(preview, ar('broadcasts:chat.send'));
    expect(plain(queued)).toBe(plain(ar('broadcasts:chat.queued', { count: 300, by: COORDINATOR_LABEL })));
    const sentCard = await postNow(card, queued);
    expect(inlineButtons(sentCard)).toHaveLength(0);
    expect(await prisma.outboxMessage.count({ where: { broadcastId: draft.id } })).toBe(300);

    const reportTitle = plain(ar('broadcasts:report.title', { excerpt: NEWS }));
    const report = await eventually(
      () => fake.messagesTo(ADMIN_CHAT).find((m) => plain(m.text).startsWith(reportTitle)),
      30_000,
    );
    expect(plain(report.text)).toContain(ar('broadcasts:report.reached', { count: 300, sent: 297 }));
    for (const id of subscribers.slice(3)) {
      const received = fake.messagesTo(id);
      expect(received, `user ${id}`).toHaveLength(1);
      expect(received[0]?.text).toBe(`${NEWS}\n\n${ar('broadcasts:message.footer')}`);
    }
    for (const id of [...blocked, ...stopped]) expect(fake.messagesTo(id), `user ${id}`).toHaveLength(0);
    const unreachable = await prisma.contactChannel.findMany({ where: { unreachable: true } });
    expect(unreachable.map((c) => Number(c.externalId)).sort()).toEqual(blocked);

    // One progress message, edited in place to its end.
    const progressTitle = plain(ar('broadcasts:progress.title', { excerpt: NEWS }));
    const progress = fake.messagesTo(ADMIN_CHAT).filter((m) => plain(m.text).startsWith(progressTitle));
    expect(progress).toHaveLength(1);
    const [shown] = progress as [Message];
    expect(plain(shown.text)).toContain(ar('broadcasts:progress.done'));
    expect(plain(shown.text)).toContain(
      plain(ar('broadcasts:progress.counts', { sent: 297, failed: 3, waiting: 0 })),
    );
    const edits = fake.callsTo('editMessageText').filter((c) => c.params.message_id === shown.message_id);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(await prisma.broadcast.findFirstOrThrow()).toMatchObject({
      status: 'DONE',
      progressMsgId: String(shown.message_id),
    });

    // A second broadcast leaves out the people who blocked the bot.
    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/broadcast خبر ثانٍ');
    const second = await postWith('خبر ثانٍ');
    await press(second, ar('broadcasts:audience.all'));
    expect(plain((await postNow(second, ar('broadcasts:chat.preview'))).text)).toContain(
      ar('broadcasts:recipients', { count: 297 }),
    );
  });

  it('follows a broadcast sent by the admin API in the chat too: progress, then the report', async () => {
    const { fake, app, seedPeople, postWith } = await startBroadcastApp();
    await seedPeople(200_000, 20);
    const news = 'تأجيل اجتماع الجمعيات إلى الأحد';
    const response = await fetch(`${app.baseUrl}/api/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: { ar: news }, audience: { kind: 'all' } }),
    });
    expect(response.status).toBe(202);
    const report = await eventually(
      () =>
        fake
          .messagesTo(ADMIN_CHAT)
          .find((m) => plain(m.text).startsWith(plain(ar('broadcasts:report.title', { excerpt: news })))),
      15_000,
    );
    expect(plain(report.text)).toContain(ar('broadcasts:report.reached', { count: 20, sent: 20 }));
    const progress = await postWith(ar('broadcasts:progress.title', { excerpt: news }));
    expect(plain(progress.text)).toContain(ar('broadcasts:progress.done'));
  });

  it('takes a photo with the command and lets her toggle governorates', async () => {
    const { fake, prisma, seedPeople, press, postNow, postWith } = await startBroadcastApp();
    const gaza = await seedPeople(400_000, 3, { governorate: 'gaza' });
    const nablus = await seedPeople(410_000, 2, { governorate: 'nablus' });
    const hebron = await seedPeople(420_000, 2, { governorate: 'hebron' });
    const fileId = fake.addFile(PHOTOS.jpeg);

    await fake.sendPhotoInChat(ADMIN_CHAT, COORDINATOR, [fileId], '/broadcast معرض المنتجات في غزة ونابلس');
    const card = await postWith(ar('broadcasts:chat.withPhoto'));
    const draft = await prisma.broadcast.findFirstOrThrow();
    expect(draft.mediaId).not.toBeNull();

    await press(card, ar('broadcasts:audience.governorates'));
    const toggles = await postNow(card, ar('broadcasts:chat.chooseGovernorates'));
    expect(inlineButtons(toggles)).toHaveLength(18);
    expect(await press(toggles, ar('broadcasts:chat.governoratesDone'))).toBe(
      ar('broadcasts:chat.noGovernorate'),
    );
    const offering = (label: string) =>
      chatPost(
        fake,
        (m) => m.message_id === card.message_id && inlineButtons(m).some((b) => b.text === label),
      );
    for (const name of ['غزة', 'نابلس', 'الخليل']) {
      await press(card, name);
      await offering(`✅ ${name}`);
    }
    await press(card, '✅ الخليل');
    await offering('الخليل');
    await press(card, ar('broadcasts:chat.governoratesDone'));
    const preview = await postNow(card, ar('broadcasts:chat.preview'));
    const names = new Intl.ListFormat('ar').format(['غزة', 'نابلس']);
    expect(plain(preview.text)).toContain(plain(ar('broadcasts:audience.inGovernorates', { names })));
    expect(plain(preview.text)).toContain(ar('broadcasts:recipients', { count: 5 }));

    await press(preview, ar('broadcasts:chat.send'));
    for (const id of [...gaza, ...nablus]) {
      const [photo] = await eventually(() => (fake.messagesTo(id).length ? fake.messagesTo(id) : undefined));
      expect(photo?.caption).toMatch(/^معرض المنتجات في غزة ونابلس/);
    }
    for (const id of hebron) expect(fake.messagesTo(id)).toHaveLength(0);
    // Uploaded once, then sent by the file id Telegram gave it.
    expect(fake.uploads).toHaveLength(1);
  });

  it('asks for the text, finds a cooperative by its code, schedules, and stops on request', async () => {
    const { fake, prisma, seedPeople, press, postWith } = await startBroadcastApp();
    const cooperative = await seedCooperative(prisma, { joinCode: 'ABC234' });
    const [member] = await seedPeople(500_000, 1);
    const contact = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: String(member) } });
    await seedMembership(prisma, contact.contactId, cooperative.id);
    await seedPeople(510_000, 2);

    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/broadcast');
    const ask = await postWith(ar('broadcasts:chat.askText'));
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, ask.message_id, 'تدريب على التسويق للجمعية');
    const card = await postWith(ar('broadcasts:chat.chooseAudience'));
    await press(card, ar('broadcasts:audience.cooperative'));
    const askCooperative = await postWith(ar('broadcasts:chat.askCooperative'));
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, askCooperative.message_id, 'abc-234');
    const preview = await postWith(ar('broadcasts:chat.preview'));
    expect(plain(preview.text)).toContain(ar('broadcasts:recipients', { count: 1 }));
    expect(plain(preview.text)).toContain(cooperative.name);

    await press(preview, ar('broadcasts:chat.schedule'));
    const askTime = await postWith(ar('broadcasts:chat.askTime'));
    const before = fake.messagesTo(ADMIN_CHAT).length;
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, askTime.message_id, '2020-01-01 10:00');
    await eventually(() => (fake.messagesTo(ADMIN_CHAT).length > before ? true : undefined));
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe(ar('broadcasts:errors.timePast'));
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, askTime.message_id, '2099-01-01 10:00');

    const progress = await postWith(
      ar('broadcasts:progress.title', { excerpt: 'تدريب على التسويق للجمعية' }),
    );
    expect(plain(progress.text)).toContain(plain(ar('broadcasts:progress.scheduled', { at: '' })).trim());
    const broadcast = await prisma.broadcast.findFirstOrThrow();
    expect(broadcast).toMatchObject({ status: 'QUEUED', scheduledAt: new Date('2099-01-01T08:00:00Z') });
    const rows = await prisma.outboxMessage.findMany({ where: { broadcastId: broadcast.id } });
    expect(rows.map((r) => r.notBefore)).toEqual([new Date('2099-01-01T08:00:00Z')]);

    await press(progress, ar('broadcasts:chat.stop'));
    expect(await prisma.broadcast.findFirstOrThrow()).toMatchObject({ status: 'CANCELLED' });
    expect(await prisma.outboxMessage.findFirstOrThrow()).toMatchObject({
      status: 'SKIPPED',
      lastError: 'cancelled',
    });
    expect(fake.messagesTo(member ?? 0)).toHaveLength(0);
  });
});

describe('a broadcast card that is out of date, and photos in the coordinators chat', () => {
  it('refuses send and schedule on a preview whose audience changed since, and sends from the new one', async () => {
    const { fake, prisma, seedPeople, press, postNow, postWith } = await startBroadcastApp();
    const cooperative = await seedCooperative(prisma, { joinCode: 'QRS789' });
    const [member] = await seedPeople(600_000, 1);
    const contact = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: String(member) } });
    await seedMembership(prisma, contact.contactId, cooperative.id);
    await seedPeople(610_000, 2);

    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/broadcast ورشة عن التسويق');
    const card = await postWith(ar('broadcasts:chat.chooseAudience'));
    await press(card, ar('broadcasts:audience.cooperative'));
    const askCooperative = await postWith(ar('broadcasts:chat.askCooperative'));
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, askCooperative.message_id, 'QRS789');
    const cooperativePreview = await postWith(ar('broadcasts:recipients', { count: 1 }));

    // The first card still offers the audiences: someone picks everyone there.
    await press(card, ar('broadcasts:audience.all'));
    const allPreview = await postNow(card, ar('broadcasts:recipients', { count: 3 }));
    const changed = ar('broadcasts:errors.audienceChanged');
    expect(await press(cooperativePreview, ar('broadcasts:chat.send'))).toBe(changed);
    expect(await press(cooperativePreview, ar('broadcasts:chat.schedule'))).toBe(changed);
    expect(await prisma.broadcast.findFirstOrThrow()).toMatchObject({ status: 'DRAFT' });
    expect(await prisma.outboxMessage.count()).toBe(0);

    // A time question asked from a preview is refused too once the audience moved on.
    await press(allPreview, ar('broadcasts:chat.schedule'));
    const askTime = await postWith(ar('broadcasts:chat.askTime'));
    await press(allPreview, ar('broadcasts:chat.changeAudience'));
    await postNow(card, ar('broadcasts:chat.chooseAudience'));
    await press(card, ar('broadcasts:audience.coordinators'));
    const coordinatorsPreview = await postNow(card, ar('broadcasts:audience.coordinators'));
    const before = fake.messagesTo(ADMIN_CHAT).length;
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, askTime.message_id, '2099-01-01 10:00');
    await eventually(() => (fake.messagesTo(ADMIN_CHAT).length > before ? true : undefined));
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe(changed);
    expect(await prisma.broadcast.findFirstOrThrow()).toMatchObject({ status: 'DRAFT', scheduledAt: null });

    // The preview on screen now is the one that sends.
    await press(coordinatorsPreview, ar('broadcasts:chat.send'));
    const rows = await prisma.outboxMessage.findMany({ include: { contactChannel: true } });
    expect(rows.map((r) => r.contactChannel?.externalId)).toEqual([String(COORDINATOR)]);
  });

  it('tags an audience alike whatever order its keys come back in (PostgreSQL reorders jsonb)', () => {
    const stored = JSON.parse('{"id":"c1","kind":"cooperative"}') as Audience;
    expect(audienceTag(stored)).toBe(audienceTag({ kind: 'cooperative', id: 'c1' }));
    expect(audienceTag(stored)).toMatch(/^[0-9a-f]{6}$/);
    expect(audienceTag({ kind: 'cooperative', id: 'c2' })).not.toBe(audienceTag(stored));
  });

  it('downloads nothing for a stranger, answers a photo alone, and takes a photo sent as a file', async () => {
    const { fake, prisma, postWith } = await startBroadcastApp();
    const fileId = fake.addFile(PHOTOS.jpeg);
    const caption = '/broadcast سوق الجمعة';
    const asCommand = {
      caption,
      caption_entities: [{ type: 'bot_command' as const, offset: 0, length: 10 }],
    };

    // Someone who is not a coordinator: refused before any photo is fetched from Telegram.
    await fake.sendPhotoInChat(ADMIN_CHAT, STRANGER, [fileId], caption);
    await postWith(ar('admin:notCoordinator'));
    expect(fake.callsTo('getFile')).toHaveLength(0);
    expect(await prisma.media.count()).toBe(0);

    // A photo without words, in answer to "reply with the news": she is told what is missing.
    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/broadcast');
    const ask = await postWith(ar('broadcasts:chat.askText'));
    const photo = [{ file_id: fileId, file_unique_id: 'u-1', width: 16, height: 12 }];
    await fake.messageInChat(ADMIN_CHAT, COORDINATOR, { photo }, ask.message_id);
    await postWith(ar('broadcasts:errors.textMissing'));
    expect(await prisma.broadcast.count()).toBe(0);

    // A photo sent "as a file" counts as a photo.
    const document = { file_id: fileId, file_unique_id: 'u-2', mime_type: 'image/jpeg' };
    await fake.messageInChat(ADMIN_CHAT, COORDINATOR, { document, ...asCommand });
    await postWith(ar('broadcasts:chat.withPhoto'));
    const draft = await prisma.broadcast.findFirstOrThrow();
    expect(draft.mediaId).toBe((await prisma.media.findFirstOrThrow()).id);
  });
});
