import type { Message, Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { type PageMessage, startTestApp } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
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

const CHANNEL = -1007770001;
const OTHER_CHANNEL = -1007770002;
const TELEGRAM_MEMBER = 600_001;
const WEB_SESSION = 'session-relay-0001';
const NEWS = 'ورشة تسويق المنتجات الغذائية يوم الخميس';
const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();

async function startRelayApp() {
  const fake = await startFakeTelegram({ maxHoldMs: 300 });
  const app = await startTestApp({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
    TELEGRAM_BROADCAST_CHANNEL_ID: String(CHANNEL),
    COORDINATOR_TELEGRAM_IDS: String(COORDINATOR),
    TELEGRAM_RATE_PER_SECOND: '1000',
  });
  cleanups.push(async () => {
    await app.cleanup();
    await fake.close();
  });
  const prisma = app.taawun.database.prisma;
  for (const [channel, externalId] of [
    ['telegram', String(TELEGRAM_MEMBER)],
    ['web', WEB_SESSION],
  ] as const)
    await prisma.contact.create({
      data: {
        subscribed: true,
        consentAt: new Date(),
        channels: { create: { channel, externalId, lastInboundAt: new Date() } },
      },
    });

  async function press(post: Message, label: string) {
    const fresh = fake.messagesTo(ADMIN_CHAT).find((m) => m.message_id === post.message_id);
    const button = inlineButtons(fresh).find((b) => plain(b.text) === plain(label));
    if (!button || !('callback_data' in button)) throw new Error(`no button "${label}" on ${fresh?.text}`);
    const answered = fake.callsTo('answerCallbackQuery').length;
    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, button.callback_data);
    await fake.waitForCalls('answerCallbackQuery', answered + 1);
  }

  const postWith = (expected: string) =>
    chatPost(fake, (m) => plain(m.text ?? m.caption).includes(plain(expected)));

  return { fake, app, prisma, press, postWith };
}

/** What the web chat page gets on its next polls, once something arrived. */
async function webMessages(baseUrl: string, sessionId: string): Promise<PageMessage[]> {
  return eventually(async () => {
    const res = await fetch(`${baseUrl}/web/messages?sessionId=${sessionId}`);
    const { messages } = (await res.json()) as { messages: PageMessage[] };
    return messages.length ? messages : undefined;
  });
}

describe("relaying the coalition's Telegram channel", () => {
  it('offers a channel post in the coordinators chat and relays its words and photo to every channel', async () => {
    const { fake, app, prisma, press, postWith } = await startRelayApp();
    const fileId = fake.addFile(PHOTOS.jpeg);

    // Another channel where the bot is an admin: its post is no news for the coalition.
    await fake.channelPost(OTHER_CHANNEL, 'منشور من قناة أخرى');
    const { update } = await fake.channelPost(CHANNEL, { fileIds: [fileId], caption: NEWS });
    const card = await postWith(ar('broadcasts:chat.relayDraft'));
    expect(plain(card.text)).toContain(NEWS);
    expect(plain(card.text)).toContain(ar('broadcasts:chat.withPhoto'));
    // The same post handed over again (another update carrying it): it is not offered twice.
    await fake.redeliver({ channel_post: update.channel_post } as Update);

    await press(card, ar('broadcasts:audience.all'));
    const preview = await postWith(ar('broadcasts:chat.preview'));
    expect(plain(preview.text)).toContain(ar('broadcasts:recipients', { count: 2 }));
    await press(preview, ar('broadcasts:chat.send'));

    const [telegram] = await eventually(() =>
      fake.messagesTo(TELEGRAM_MEMBER).length ? fake.messagesTo(TELEGRAM_MEMBER) : undefined,
    );
    expect(telegram?.caption).toMatch(new RegExp(`^${NEWS}`));
    const [web] = await webMessages(app.baseUrl, WEB_SESSION);
    expect(web?.text).toContain(NEWS);

    const broadcasts = await prisma.broadcast.findMany();
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]?.kind).toBe('relay');
    expect(broadcasts[0]?.status).not.toBe('DRAFT');
    expect(broadcasts[0]?.mediaId).toEqual(expect.any(String));
    // The channel's photo, kept in the media store, shown on the web page too.
    expect(web?.photo).toBe(`media/${broadcasts[0]?.mediaId}?s=${WEB_SESSION}`);
    const chat = fake.messagesTo(ADMIN_CHAT).map((m) => plain(m.text ?? m.caption));
    expect(chat.filter((text) => text.includes(ar('broadcasts:chat.relayDraft')))).toHaveLength(1);
    expect(chat.some((text) => text.includes('قناة أخرى'))).toBe(false);
  });
});
