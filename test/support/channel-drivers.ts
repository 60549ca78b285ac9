import type { Message, Update } from 'grammy/types';
import { afterEach, expect } from 'vitest';
import { CALLBACK_DATA_LIMIT, PAGE_SIZE as TELEGRAM_PAGE_SIZE } from '../../src/channels/telegram/render.js';
import { WHOLE_MENU_MAX } from '../../src/channels/whatsapp-web/render.js';
import { NAV_PREFIX } from '../../src/core/turn.js';
import type { Db } from '../../src/db/client.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { type PageMessage, startTestApp, type TestApp, webSend, webUser } from './app.js';
import type { SentMessage as GraphSent } from './fake-graph.js';
import { startFakeTelegram } from './fake-telegram.js';
import { startWhatsAppWebApp, type SentMessage as WebJsSent } from './fake-whatsapp-web.js';
import { eventually, inlineButtons, plain, telegramEnv, telegramUser } from './telegram-app.js';
import { buttonsOf, listOf, shownText, startWhatsAppCloudApp, whatsappUser } from './whatsapp-cloud-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');

/** One message the bot sent her, as any channel shows it: its text, the labels she can choose, a photo. */
export interface Reply {
  text: string;
  choices: string[];
  photo: boolean;
  /** The approved template it went by (WhatsApp Cloud, outside the 24-hour window). */
  template?: string;
}

/** One person on one channel of a running app, driven the same way whatever the channel. */
export interface ChannelSession {
  app: TestApp;
  prisma: Db;
  /** She types `text`; resolves with what the bot sent her until its next question. */
  say(text: string): Promise<Reply[]>;
  /** She picks `label`: a button, a list row, or its number where the channel has no buttons. */
  press(label: string): Promise<Reply[]>;
  sendPhoto(bytes: Buffer): Promise<Reply[]>;
  /** What the bot sent her since her latest action. */
  lastReplies(): Reply[];
  /** Everything the bot sent her, oldest first. */
  received(): Reply[];
  /** She types `text` and the channel hands that same message (same external id) to the app twice. */
  sendDuplicate(text: string): Promise<void>;
  /** The channel's next send to her fails (on the web chat, where the page pulls: the notice expires). */
  failNextSend(): void;
  /** Lets queued notices go out (wakes the dispatcher; on the web chat, the page polls). */
  flush(): Promise<void>;
  /** Bytes of the photos the channel sent her. */
  photosSent(): Promise<Buffer[]>;
  /** Anything the bot sent her beyond the channel's limits (none when it kept them). */
  limitBreaches(): string[];
  contactId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** A channel the contract runs on: how to start an app with it (`env` added) and one person on it. */
export interface ChannelDriver {
  name: string;
  /** The channel's name on her ContactChannel and outbox rows. */
  channel: 'telegram' | 'web' | 'whatsapp-web' | 'whatsapp-cloud';
  /** Its notices are pushed by the dispatcher (so a failed one counts an attempt), not pulled. */
  pushed: boolean;
  start(env?: Record<string, string>): Promise<ChannelSession>;
}

/** Tracks the index of her latest action in a list of sent messages, to give `lastReplies`. */
function since<T>(all: () => T[], toReply: (m: T) => Reply) {
  let mark = 0;
  return {
    mark: () => {
      mark = all().length;
    },
    last: () => all().slice(mark).map(toReply),
    all: () => all().map(toReply),
  };
}

const contactIdOf = async (prisma: Db, channel: string, externalId: string) =>
  (
    await prisma.contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel, externalId } },
    })
  ).contactId;

const TELEGRAM_USER = 7301;

const telegram: ChannelDriver = {
  name: 'Telegram',
  channel: 'telegram',
  pushed: true,
  async start(env = {}) {
    const fake = await startFakeTelegram({ maxHoldMs: 300 });
    const app = await startTestApp({ ...telegramEnv(fake), ...env });
    const prisma = app.taawun.database.prisma;
    const user = telegramUser(fake, TELEGRAM_USER);
    const toReply = (m: Message): Reply => ({
      text: plain(m.text ?? m.caption),
      choices: inlineButtons(m).map((b) => b.text),
      photo: Boolean(m.photo),
    });
    const log = since(() => fake.messagesTo(TELEGRAM_USER), toReply);
    const act = async (action: () => Promise<unknown>) => {
      log.mark();
      await action();
      return log.last();
    };
    return {
      app,
      prisma,
      say: (text) => act(() => user.say(text)),
      press: (label) => act(() => user.press(label)),
      sendPhoto: (bytes) => act(() => user.sendPhoto(bytes)),
      lastReplies: log.last,
      received: log.all,
      async sendDuplicate(text) {
        log.mark();
        const { update } = await fake.sendText(TELEGRAM_USER, text);
        await fake.redeliver(update as Update);
        await eventually(() => (fake.pendingUpdates().length === 0 ? true : undefined));
        await app.taawun.router.drain();
      },
      failNextSend: () =>
        fake.failNext('sendMessage', 1, { error_code: 500, description: 'Internal Server Error' }),
      flush: async () => app.taawun.dispatcher.kick(),
      photosSent: async () => fake.uploads.filter((u) => u.chatId === TELEGRAM_USER).map((u) => u.bytes),
      limitBreaches: () =>
        fake.messagesTo(TELEGRAM_USER).flatMap((m) => {
          const buttons = inlineButtons(m).flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
          const long = buttons
            .filter((data) => Buffer.byteLength(data) > CALLBACK_DATA_LIMIT)
            .map((d) => `data ${d}`);
          const items = buttons.filter((d) => d.includes('|') && !d.split('|')[1]?.startsWith(NAV_PREFIX));
          return items.length > TELEGRAM_PAGE_SIZE ? [...long, `${items.length} choices on a page`] : long;
        }),
      contactId: () => contactIdOf(prisma, 'telegram', String(TELEGRAM_USER)),
      async cleanup() {
        await app.cleanup();
        await fake.close();
      },
    };
  },
};

const WEB_SESSION = 'contract-web-session-0001';

const web: ChannelDriver = {
  name: 'web chat',
  channel: 'web',
  pushed: false,
  async start(env = {}) {
    const app = await startTestApp(env);
    const prisma = app.taawun.database.prisma;
    const user = webUser(app, WEB_SESSION);
    const sent: PageMessage[] = [];
    const toReply = (m: PageMessage): Reply => ({
      text: plain(m.text),
      choices: (m.choices ?? []).map((c) => c.label),
      photo: Boolean(m.photo),
    });
    const log = since(() => sent, toReply);
    let expireNext = false;
    const act = async (action: () => Promise<PageMessage[]>) => {
      log.mark();
      sent.push(...(await action()));
      return log.last();
    };
    return {
      app,
      prisma,
      say: (text) => act(() => user.say(text)),
      // The latest message offering it, a pulled notice too (the page shows those as well).
      press: (label) =>
        act(async () => {
          const message = sent.findLast((m) => m.choices?.some((c) => c.label === label));
          const choice = message?.choices?.find((c) => c.label === label);
          if (!choice) throw new Error(`no button "${label}"`);
          const body = { choice: { id: choice.id, token: message?.choiceToken } };
          return (await webSend(app.baseUrl, WEB_SESSION, body)).messages;
        }),
      sendPhoto: (bytes) => act(() => user.photo(bytes)),
      lastReplies: log.last,
      received: log.all,
      async sendDuplicate(text) {
        log.mark();
        const id = `dup-${Date.now()}`;
        for (let i = 0; i < 2; i++)
          sent.push(...(await webSend(app.baseUrl, WEB_SESSION, { text }, id)).messages);
      },
      failNextSend() {
        expireNext = true;
      },
      async flush() {
        if (expireNext) {
          expireNext = false;
          await prisma.outboxMessage.updateMany({
            where: { channel: 'web', status: 'PENDING' },
            data: { expiresAt: new Date(0) },
          });
        }
        const res = await fetch(`${app.baseUrl}/web/messages?sessionId=${WEB_SESSION}`);
        sent.push(...((await res.json()) as { messages: PageMessage[] }).messages);
      },
      async photosSent() {
        const urls = sent.flatMap((m) => (m.photo ? [m.photo] : []));
        return Promise.all(
          urls.map(async (url) =>
            Buffer.from(await (await fetch(new URL(url, `${app.baseUrl}/`))).arrayBuffer()),
          ),
        );
      },
      limitBreaches: () =>
        sent.flatMap((m) =>
          m.choices?.length && (!m.choiceToken || m.choices.some((c) => !c.id || !c.label))
            ? [`malformed choices in ${JSON.stringify(m)}`]
            : [],
        ),
      contactId: () => contactIdOf(prisma, 'web', WEB_SESSION),
      cleanup: () => app.cleanup(),
    };
  },
};

const WA_CHAT = '970599300400@c.us';
/** A numbered menu line: "3) label". */
const MENU_LINE = /^(\d+)\) (.+)$/gm;
const numbered = (text: string) => [...text.matchAll(MENU_LINE)].map((m) => ({ n: m[1], label: m[2] }));

const whatsappWeb: ChannelDriver = {
  name: 'WhatsApp Web',
  channel: 'whatsapp-web',
  pushed: true,
  async start(env = {}) {
    const started = await startWhatsAppWebApp({ env });
    const { fake, app, prisma } = started;
    const toReply = (m: WebJsSent): Reply => ({
      text: plain(m.text),
      choices: numbered(m.text).map((line) => plain(line.label ?? '')),
      photo: Boolean(m.media),
    });
    const log = since(() => fake.sentTo(WA_CHAT), toReply);
    // A question ends with a numbered menu, or (free text asked) with the words she may type instead.
    const asks = (m: WebJsSent) => /^1\) /m.test(m.text) || m.text.includes(ar('whatsapp-web:orType'));
    const act = async (action: () => unknown) => {
      log.mark();
      const before = fake.sentTo(WA_CHAT).length;
      action();
      await eventually(() => (fake.sentTo(WA_CHAT).slice(before).some(asks) ? true : undefined));
      return log.last();
    };
    return {
      app,
      prisma,
      say: (text) => act(() => fake.say(WA_CHAT, text)),
      press(label) {
        const line = fake
          .sentTo(WA_CHAT)
          .flatMap((m) => numbered(m.text))
          .findLast((l) => plain(l.label) === plain(label));
        if (!line?.n) throw new Error(`no numbered line "${label}"`);
        return act(() => fake.say(WA_CHAT, line.n ?? ''));
      },
      sendPhoto: (bytes) => act(() => fake.sendPhoto(WA_CHAT, bytes)),
      lastReplies: log.last,
      received: log.all,
      async sendDuplicate(text) {
        log.mark();
        const message = fake.say(WA_CHAT, text);
        fake.current().emit('message', message);
        await eventually(() => (log.last().length > 0 ? true : undefined));
        await app.taawun.router.drain();
      },
      failNextSend: () => fake.troubleNextSends('throw'),
      flush: async () => app.taawun.dispatcher.kick(),
      photosSent: async () =>
        fake.sentTo(WA_CHAT).flatMap((m) => (m.media ? [Buffer.from(m.media.data, 'base64')] : [])),
      limitBreaches: () =>
        fake
          .sentTo(WA_CHAT)
          .map((m) => numbered(m.text).map((l) => Number(l.n)))
          .flatMap((ns) =>
            ns.length > WHOLE_MENU_MAX || ns.some((n, i) => n !== i + 1)
              ? [`menu numbered ${ns.join(',')}`]
              : [],
          ),
      contactId: () => contactIdOf(prisma, 'whatsapp-web', WA_CHAT),
      cleanup: started.cleanup,
    };
  },
};

const WA_ID = '970599500600';
/** What a list row stands for: its title, and a long label's rest in its description. */
const squash = (text: string) => plain(text).replace(/[\s…]/g, '');

const whatsappCloud: ChannelDriver = {
  name: 'WhatsApp Cloud',
  channel: 'whatsapp-cloud',
  pushed: true,
  async start(env = {}) {
    const started = await startWhatsAppCloudApp(env);
    const { fake, app, prisma } = started;
    const user = whatsappUser(fake, WA_ID);
    const toReply = (m: GraphSent): Reply => ({
      text: shownText(m),
      ...(m.body.type === 'template' ? { template: m.body.template.name } : {}),
      choices: [
        ...buttonsOf(m).map((b) => b.title),
        ...(listOf(m)?.rows ?? []).map((r) => `${r.title}${r.description ?? ''}`),
      ],
      photo: m.body.type === 'image',
    });
    const log = since(() => fake.messagesTo(WA_ID), toReply);
    const act = async (action: () => Promise<unknown>) => {
      log.mark();
      await action();
      return log.last();
    };
    return {
      app,
      prisma,
      say: (text) => act(() => user.say(text)),
      press(label) {
        const rows = listOf(fake.lastMessageTo(WA_ID))?.rows ?? [];
        const row = rows.find((r) => squash(label).startsWith(squash(`${r.title}${r.description ?? ''}`)));
        return act(() => user.press(row?.title ?? label));
      },
      async sendPhoto(bytes) {
        const id = `media.in.${Date.now()}`;
        fake.addMedia(id, bytes, 'image/jpeg');
        return act(async () => {
          const before = fake.messagesTo(WA_ID).length;
          await fake.sendImage(WA_ID, id);
          await eventually(() => {
            const last = fake.messagesTo(WA_ID).at(-1);
            return fake.messagesTo(WA_ID).length > before && last?.body.type === 'interactive'
              ? true
              : undefined;
          });
        });
      },
      lastReplies: log.last,
      received: log.all,
      async sendDuplicate(text) {
        log.mark();
        const { payload } = fake.incoming(WA_ID, { type: 'text', text: { body: text } });
        await fake.deliver(payload);
        await fake.deliver(payload);
        await app.taawun.router.drain();
      },
      failNextSend: () =>
        fake.failNext('messages', 1, { status: 500, code: 1, message: 'An unknown error occurred' }),
      flush: async () => app.taawun.dispatcher.kick(),
      photosSent: async () => {
        const images = new Set(
          fake.messagesTo(WA_ID).flatMap((m) => (m.body.type === 'image' ? [m.body.image.id] : [])),
        );
        return fake.uploads.filter((u) => images.has(u.id)).map((u) => u.bytes);
      },
      limitBreaches: () => fake.rejected.map((r) => r.reason),
      contactId: () => contactIdOf(prisma, 'whatsapp-cloud', WA_ID),
      cleanup: started.cleanup,
    };
  },
};

/** Every channel adapter the channel contract runs on. */
/**
 * Starts one session of `driver` per test (call the returned function in it) and, after the test,
 * stops it and fails the test if the app broke a limit of the channel.
 */
export function channelSessions(driver: ChannelDriver) {
  let session: ChannelSession | undefined;
  afterEach(async () => {
    const done = session;
    session = undefined;
    await done?.cleanup();
    expect(done?.limitBreaches() ?? []).toEqual([]);
  });
  return async (env?: Record<string, string>) => {
    session = await driver.start(env);
    return session;
  };
}

export const CHANNEL_DRIVERS: ChannelDriver[] = [telegram, web, whatsappWeb, whatsappCloud];
export const WHATSAPP_DRIVERS: ChannelDriver[] = [whatsappCloud, whatsappWeb];
