import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FLOWS } from '../../src/flows/index.js';
import { createServices } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PHOTO_FLOW_ENTRY, PHOTO_PROMPT, photoFlow } from '../support/photo-flow.js';
import { largeJpeg, PDF, PHOTOS } from '../support/photos.js';
import { testServiceDeps } from '../support/service-deps.js';
import {
  ADMIN_CHAT,
  chatPost,
  eventually,
  inlineButtons,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';
import { createTelegramHarness, type TelegramHarness } from '../support/telegram-harness.js';

const USER = 4301;
const OTHER = 4302;

let harness: TelegramHarness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});
const cleanups = useCleanups();

/** She reaches the photo step of the test flow, named Amal. */
async function toPhotoStep(h: TelegramHarness, userId = USER) {
  const user = telegramUser(h.fake, userId);
  await onboardChatUser(user);
  await user.press(PHOTO_FLOW_ENTRY);
  await user.say('Amal');
  return user;
}

const stepOf = async (h: TelegramHarness, userId = USER) => {
  const conversation = await h.conversationOf(userId);
  return {
    step: conversation?.step,
    values: (conversation?.data as { values?: unknown } | undefined)?.values,
  };
};

describe('photos on Telegram', () => {
  it('a photo she sends reaches the flow stored, and comes back to her uploaded once', async () => {
    harness = await createTelegramHarness('polling', undefined, { flows: [...FLOWS, photoFlow] });
    const { fake, prisma } = harness;
    await toPhotoStep(harness);
    const fileId = fake.addFile(PHOTOS.jpeg);
    await fake.sendPhoto(USER, ['thumb-not-downloaded', fileId], 'زيت زيتون');

    const media = await eventually(() => prisma.media.findFirst().then((m) => m ?? undefined));
    const thanks = await eventually(() =>
      fake.messagesTo(USER).find((m) => m.caption?.includes('Thank you')),
    );
    expect(thanks.caption).toBe(`Thank you Amal: stored:${media.id} زيت زيتون`);
    expect(media).toMatchObject({ mime: 'image/jpeg', size: PHOTOS.jpeg.length });
    expect(readFileSync(`${harness.mediaDir}/${media.path}`).equals(PHOTOS.jpeg)).toBe(true);
    expect(fake.callsTo('getFile').map((c) => c.params.file_id)).toEqual([fileId]);

    // The photo she sent is stored by its bytes, then uploaded to her chat once, its new id remembered.
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.bytes.equals(PHOTOS.jpeg)).toBe(true);
    // Remembered once Telegram answered the upload, which may be a moment after she sees the photo.
    const cached = await eventually(() => prisma.mediaChannelFile.findFirst().then((c) => c ?? undefined));
    expect(cached).toMatchObject({ mediaId: media.id, channel: 'telegram', fileId: fake.uploads[0]?.fileId });
  });

  it('a PDF sent as a file is refused politely, and she stays on the step with her answers', async () => {
    harness = await createTelegramHarness('polling', undefined, { flows: [...FLOWS, photoFlow] });
    const { fake, prisma, ar } = harness;
    const user = await toPhotoStep(harness);
    const before = user.sent();
    await fake.sendDocument(USER, fake.addFile(PDF, { ext: 'pdf' }), { mime_type: 'application/pdf' });
    await user.receives(PHOTO_PROMPT, before);
    expect(user.textsSince(before)).toEqual([ar('engine:unsupported.photo_type'), PHOTO_PROMPT]);
    expect(await stepOf(harness)).toEqual({ step: 'photo', values: { name: 'Amal' } });
    expect(await prisma.media.count()).toBe(0);

    // A photo sent as a file is kept like any photo.
    await fake.sendDocument(USER, fake.addFile(PHOTOS.png, { ext: 'png' }), { mime_type: 'image/png' });
    const thanks = await eventually(() =>
      fake.messagesTo(USER).find((m) => m.caption?.includes('Thank you')),
    );
    expect(thanks.caption).toMatch(/^Thank you Amal: stored:/);
    expect((await prisma.media.findFirstOrThrow()).mime).toBe('image/png');
  });

  it('a photo over 5 MB is refused without downloading it, even when Telegram does not say its size', async () => {
    harness = await createTelegramHarness('polling', undefined, { flows: [...FLOWS, photoFlow] });
    const { fake, prisma, ar } = harness;
    const user = await toPhotoStep(harness);
    let before = user.sent();
    await fake.sendPhoto(USER, [fake.addFile(largeJpeg())]);
    await user.receives(PHOTO_PROMPT, before);
    expect(user.textsSince(before)).toEqual([ar('engine:unsupported.photo_size'), PHOTO_PROMPT]);
    expect(fake.downloads).toEqual([]);

    // No size from getFile: the download is cut off at the limit.
    before = user.sent();
    await fake.sendPhoto(USER, [fake.addFile(largeJpeg(), { hideSize: true })]);
    await user.receives(PHOTO_PROMPT, before);
    expect(user.textsSince(before)[0]).toBe(ar('engine:unsupported.photo_size'));
    expect(fake.downloads).toHaveLength(1);
    expect(await prisma.media.count()).toBe(0);
    expect(await stepOf(harness)).toEqual({ step: 'photo', values: { name: 'Amal' } });
  });

  it('a photo left unhandled by a crash is stored when recovered, and the same bytes only once', async () => {
    harness = await createTelegramHarness('polling', undefined, { flows: [...FLOWS, photoFlow] });
    const { fake, prisma, router } = harness;
    await toPhotoStep(harness);
    const fileId = fake.addFile(PHOTOS.jpeg);
    const payload = (id: string) => ({
      channel: 'telegram',
      externalUserId: String(USER),
      externalMessageId: id,
      receivedAt: new Date().toISOString(),
      content: { kind: 'photo', media: { kind: 'channel', channel: 'telegram', fileId } },
    });
    for (const id of ['crash-1', 'crash-2']) {
      await prisma.inboundEvent.create({
        data: { channel: 'telegram', externalMessageId: id, payload: payload(id), receivedAt: new Date() },
      });
    }
    expect(await router.recover()).toBe(2);
    await router.drain();
    expect(fake.callsTo('getFile')).toHaveLength(2);
    const media = await prisma.media.findMany();
    expect(media).toHaveLength(1);
    const thanks = fake.messagesTo(USER).filter((m) => m.caption?.includes('Thank you'));
    expect(thanks.map((m) => m.caption)).toEqual([`Thank you Amal: stored:${media[0]?.id}`]);
    expect(await prisma.inboundEvent.count({ where: { processedAt: null } })).toBe(0);
  });

  it('a photo Telegram cannot give is asked for again', async () => {
    harness = await createTelegramHarness('polling', undefined, { flows: [...FLOWS, photoFlow] });
    const { fake, ar } = harness;
    const user = await toPhotoStep(harness);
    const before = user.sent();
    await fake.sendPhoto(USER, ['a-file-telegram-does-not-know']);
    await user.receives(PHOTO_PROMPT, before);
    expect(user.textsSince(before)[0]).toBe(ar('engine:unsupported.photo_unavailable'));
  });

  it('a voice note or a sticker gets a polite answer and the menu, not silence', async () => {
    harness = await createTelegramHarness('polling');
    const { fake, ar } = harness;
    const user = telegramUser(fake, USER);
    await onboardChatUser(user);
    const before = user.sent();
    await fake.sendMessageWith(USER, { voice: { file_id: 'v', file_unique_id: 'v', duration: 4 } });
    await user.receives(ar('menu:title'), before);
    expect(user.textsSince(before)).toEqual([ar('engine:unsupported.message_type'), ar('menu:title')]);
    expect((await harness.conversationOf(USER))?.flow).toBe('menu');
  });

  it('a stored photo is uploaded to Telegram once, then sent by its file id; a refused id is replaced', async () => {
    harness = await createTelegramHarness('polling');
    const { fake, adapter, media, prisma } = harness;
    const put = await media.put(PHOTOS.webp);
    if (!put.ok) throw new Error('refused');
    const message = { text: 'صابون زيت الزيتون', photo: { kind: 'stored', mediaId: put.media.id } as const };

    await adapter.send(USER, message);
    await adapter.send(OTHER, message);
    expect(fake.uploads.map((u) => u.chatId)).toEqual([USER]);
    const firstId = fake.uploads[0]?.fileId;
    expect(fake.callsTo('sendPhoto').map((c) => c.params.photo)).toEqual([{ uploaded: firstId }, firstId]);
    expect(fake.lastMessageTo(OTHER)?.caption).toBe('صابون زيت الزيتون');

    fake.failNext('sendPhoto', 1, {
      error_code: 400,
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
    await adapter.send(OTHER, message);
    expect(fake.uploads).toHaveLength(2);
    expect(fake.uploads[1]?.bytes.equals(PHOTOS.webp)).toBe(true);
    const cached = await prisma.mediaChannelFile.findFirstOrThrow({ where: { mediaId: put.media.id } });
    expect(cached.fileId).toBe(fake.uploads[1]?.fileId);

    // A photo whose file the store does not know goes out as its text.
    await adapter.send(OTHER, { text: 'بلا صورة', photo: { kind: 'stored', mediaId: 'unknown-media-id' } });
    expect(fake.lastMessageTo(OTHER)?.text).toBe('بلا صورة');
  });

  it('sends of one photo in parallel upload it once, then go by its file id side by side', async () => {
    let onWire = 0;
    let mostOnWire = 0;
    harness = await createTelegramHarness('polling', (fake) =>
      fake.intercept('sendPhoto', async () => {
        mostOnWire = Math.max(mostOnWire, ++onWire);
        await new Promise((resolve) => setTimeout(resolve, 150));
        onWire--;
      }),
    );
    const { fake, adapter, media } = harness;
    const put = await media.put(PHOTOS.jpeg);
    if (!put.ok) throw new Error('refused');
    const message = { text: 'مطرزات فلسطينية', photo: { kind: 'stored', mediaId: put.media.id } as const };
    const chats = Array.from({ length: 6 }, (_, i) => 61_000 + i);
    await Promise.all(chats.map((chat) => adapter.send(chat, message)));
    expect(fake.uploads).toHaveLength(1);
    for (const chat of chats) expect(fake.lastMessageTo(chat)?.caption).toBe('مطرزات فلسطينية');
    // The first upload alone, then the others at once (paced, not one after another).
    expect(mostOnWire).toBeGreaterThanOrEqual(2);
  });

  it('a stored photo whose file is gone, never uploaded, goes out as its text with its buttons', async () => {
    harness = await createTelegramHarness('polling');
    const { fake, adapter, media } = harness;
    const put = await media.put(PHOTOS.png);
    if (!put.ok) throw new Error('refused');
    rmSync(put.media.path);
    await adapter.send(USER, {
      text: 'اختاري ما تريدين',
      photo: { kind: 'stored', mediaId: put.media.id },
      choices: [{ id: 'a', label: 'الأول' }],
      choiceToken: 't1',
    });
    const sent = fake.lastMessageTo(USER);
    expect(sent?.text).toBe('اختاري ما تريدين');
    expect(inlineButtons(sent).map((b) => b.text)).toEqual(['الأول']);
    expect(fake.callsTo('sendPhoto')).toHaveLength(0);
  });

  it('a photo that went out is not sent again when its file id cannot be remembered', async () => {
    harness = await createTelegramHarness('polling');
    const { fake, adapter, media, prisma } = harness;
    const put = await media.put(PHOTOS.jpeg);
    if (!put.ok) throw new Error('refused');
    media.rememberChannelFileId = async () => {
      throw new Error('database is locked');
    };
    await adapter.send(USER, { text: 'صابون', photo: { kind: 'stored', mediaId: put.media.id } });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.lastMessageTo(USER)?.caption).toBe('صابون');
    expect(await prisma.mediaChannelFile.count()).toBe(0);
  });
});

describe("photos in the coordinators' chat", () => {
  it('a post with a product photo goes out as a photo with its caption and buttons', async () => {
    const { fake, app, prisma, cleanup } = await startTelegramApp();
    cleanups.push(cleanup);
    const put = await app.taawun.media.put(PHOTOS.jpeg);
    if (!put.ok) throw new Error('refused');
    const services = createServices(prisma, testServiceDeps({ adminChatId: String(ADMIN_CHAT) }));
    await services.notify.toCoordinators(
      { type: 'product', id: 'p1' },
      () => ({
        text: 'منتج جديد: صابون',
        photo: { kind: 'stored', mediaId: put.media.id },
        choices: [{ id: 'product.publish:p1', label: 'نشر' }],
      }),
      { kind: 'product-review' },
    );
    app.taawun.dispatcher.kick();
    const post = await chatPost(fake, (m) => m.photo !== undefined);
    expect(post.caption).toBe('منتج جديد: صابون');
    expect(inlineButtons(post).map((b) => b.text)).toEqual(['نشر']);
    expect(fake.uploads.map((u) => u.chatId)).toEqual([ADMIN_CHAT]);
    expect(fake.uploads[0]?.bytes.equals(PHOTOS.jpeg)).toBe(true);
  });
});
