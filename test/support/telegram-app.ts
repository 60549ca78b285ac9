import type { InlineKeyboardButton, Message } from 'grammy/types';
import { startTestApp } from './app.js';
import { type FakeTelegram, startFakeTelegram } from './fake-telegram.js';

/** The coordinators' chat and the one coordinator every Telegram app test is configured with. */
export const ADMIN_CHAT = -1005555;
export const COORDINATOR = 5001;

/** The environment that points an app's Telegram at `fake`, with the coordinators' chat and coordinator. */
export const telegramEnv = (fake: FakeTelegram): Record<string, string> => ({
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.apiRoot,
  TELEGRAM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
  COORDINATOR_TELEGRAM_IDS: String(COORDINATOR),
});

/**
 * The whole app as `npm start` builds it, with Telegram against the fake Bot API, the coordinators'
 * chat and one coordinator from the environment. Undo it with the returned `cleanup`.
 */
export async function startTelegramApp(env: Record<string, string> = {}) {
  const fake: FakeTelegram = await startFakeTelegram({ maxHoldMs: 300 });
  const app = await startTestApp({ ...telegramEnv(fake), ...env });
  return {
    fake,
    app,
    prisma: app.taawun.database.prisma,
    async cleanup() {
      await app.cleanup();
      await fake.close();
    },
  };
}

/** The inline buttons of a message, in one flat list (none when it has no inline keyboard). */
export const inlineButtons = (message: Message | undefined): InlineKeyboardButton[] =>
  (
    (message?.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard ??
    []
  ).flat();

/** Polls `probe` until it gives a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A text as Telegram users read it: without our bidi isolates, so that texts compare equal. */
export const plain = (text: string | undefined) => (text ?? '').replace(/[\u2066-\u2069]/g, '');

/** Waits for the bot's latest message to `chatId` (after the first `since`) that contains `expected`. */
export async function messageWith(fake: FakeTelegram, chatId: number, expected: string, since = 0) {
  try {
    return await eventually(() =>
      fake
        .messagesTo(chatId)
        .slice(since)
        .findLast((m) => plain(m.text).includes(plain(expected))),
    );
  } catch {
    throw new Error(`no message with "${expected}" to ${chatId}`);
  }
}

/** Plays one Telegram user: each action waits for the bot's next question (a message with buttons). */
export function telegramUser(fake: FakeTelegram, userId: number) {
  const asked = (before: number) =>
    eventually(() => {
      const messages = fake.messagesTo(userId);
      const last = messages.at(-1);
      return messages.length > before && last?.reply_markup ? last : undefined;
    });
  const act = async (action: () => Promise<unknown>) => {
    const before = fake.messagesTo(userId).length;
    await action();
    return asked(before);
  };
  return {
    say: (text: string) => act(() => fake.sendText(userId, text)),
    sharePhone: (phone: string) => act(() => fake.sendContact(userId, phone)),
    /** Sends a photo (its bytes kept by the fake, as Telegram keeps what users send). */
    sendPhoto: (bytes: Buffer) => act(() => fake.sendPhoto(userId, [fake.addFile(bytes)])),
    press(label: string) {
      const last = fake.lastMessageTo(userId);
      const button = inlineButtons(last).find((b) => b.text === label);
      if (!button || !('callback_data' in button)) throw new Error(`no button "${label}"`);
      return act(() => fake.pressButton(userId, last?.message_id ?? 0, button.callback_data));
    },
    /** Every text the bot sent her since message number `from`. */
    textsSince: (from: number) =>
      fake
        .messagesTo(userId)
        .slice(from)
        .map((m) => m.text ?? ''),
    /** How many messages the bot has sent her so far: a `since` for `textsSince` and `receives`. */
    sent: () => fake.messagesTo(userId).length,
    /** Types `text` and waits for a reply that contains `expected` (for replies that ask nothing). */
    async type(text: string, expected: string) {
      const since = fake.messagesTo(userId).length;
      await fake.sendText(userId, text);
      return messageWith(fake, userId, expected, since);
    },
    /** Waits for a message to her (after the first `since`) that contains `expected`. */
    receives: (expected: string, since = 0) => messageWith(fake, userId, expected, since),
  };
}

/** The bot's latest message in the coordinators' chat that satisfies `match`. */
export const chatPost = (fake: FakeTelegram, match: (m: Message) => boolean) =>
  eventually(() => [...fake.messagesTo(ADMIN_CHAT)].reverse().find(match));
