import type { InlineKeyboardMarkup, Message, Update } from 'grammy/types';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.js';
import { pageData } from '../../src/channels/telegram/render.js';
import type { InboundMessage } from '../../src/core/message.js';
import type { MessageRouter } from '../../src/core/router.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import {
  createTelegramHarness,
  TELEGRAM_TEXTS,
  type TelegramHarness,
  WEBHOOK_SECRET,
} from '../support/telegram-harness.js';

const USER = 4201;
let harness: TelegramHarness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const keyboardOf = (message: Message | undefined) =>
  (message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard.flat() ?? [];
const dataOf = (message: Message | undefined, label: string) => {
  const button = keyboardOf(message).find((b) => b.text === label);
  if (!button || !('callback_data' in button)) throw new Error(`no button ${label}`);
  return button.callback_data;
};
const texts = (fake: FakeTelegram) => fake.callsTo('sendMessage').map((c) => String(c.params.text));

describe.each(['polling', 'webhook'] as const)('Telegram through the engine (%s)', (mode) => {
  it('answers /start in Arabic with buttons, and a pressed button moves the conversation on', async () => {
    harness = await createTelegramHarness(mode);
    const { fake, ar } = harness;
    await fake.sendText(USER, '/start');
    await fake.waitForCalls('sendMessage', 1);
    const welcome = fake.lastMessageTo(USER);
    expect(welcome?.text).toBe(ar('onboarding:welcome.text'));
    expect(fake.callsTo('sendMessage')[0]?.params.parse_mode).toBe('HTML');
    expect(keyboardOf(welcome).map((b) => b.text)).toEqual([
      ar('onboarding:welcome.continue'),
      ar('onboarding:welcome.switchLanguage'),
    ]);
    expect((await harness.conversationOf(USER))?.step).toBe('welcome');

    const continueData = dataOf(welcome, ar('onboarding:welcome.continue'));
    await fake.pressButton(USER, welcome?.message_id ?? 0, continueData);
    await fake.waitForCalls('sendMessage', 2);
    await fake.waitForCalls('answerCallbackQuery', 1);
    expect(fake.lastMessageTo(USER)?.text).toBe(ar('onboarding:consent.text'));
    expect((await harness.conversationOf(USER))?.step).toBe('consent');

    await fake.pressButton(USER, welcome?.message_id ?? 0, continueData);
    await fake.waitForCalls('sendMessage', 4);
    await fake.waitForCalls('answerCallbackQuery', 2);
    expect(texts(fake).slice(2)).toEqual([ar('engine:staleButton'), ar('onboarding:consent.text')]);
    expect((await harness.conversationOf(USER))?.step).toBe('consent');
  });

  it('registers the Arabic and English command menus and goes on when that fails', async () => {
    harness = await createTelegramHarness(mode, (fake) =>
      fake.failNext('setMyCommands', 2, { error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' }),
    );
    expect(harness.fake.callsTo('setMyCommands')).toHaveLength(2);
    await harness.fake.sendText(USER, '/start');
    await harness.fake.waitForCalls('sendMessage', 1);
  });
});

describe('Telegram command menus', () => {
  it('sets Arabic as the default list and English for en', async () => {
    harness = await createTelegramHarness('polling');
    const [ar, en] = harness.fake.callsTo('setMyCommands');
    expect(ar?.params).toEqual({
      commands: expect.arrayContaining([{ command: 'start', description: 'البدء من جديد' }]),
    });
    expect(ar?.params.commands).toHaveLength(6);
    expect(en?.params).toMatchObject({
      language_code: 'en',
      commands: expect.arrayContaining([{ command: 'menu', description: 'Main menu' }]),
    });
  });
});

describe('Telegram webhook', () => {
  it('sets the webhook with its secret and the update types we handle', async () => {
    harness = await createTelegramHarness('webhook');
    expect(harness.fake.callsTo('setWebhook')[0]?.params).toEqual({
      url: harness.webhookUrl,
      secret_token: WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query', 'channel_post'],
    });
  });

  it('replies once to an update delivered twice', async () => {
    harness = await createTelegramHarness('webhook');
    const update = { update_id: 777, message: textMessage('/start') } as Update;
    expect(await harness.fake.deliverWebhook(harness.webhookUrl, WEBHOOK_SECRET, update)).toBe(200);
    expect(await harness.fake.deliverWebhook(harness.webhookUrl, WEBHOOK_SECRET, update)).toBe(200);
    await harness.fake.waitForCalls('sendMessage', 1);
    await harness.router.drain();
    expect(harness.fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
    harness = await createTelegramHarness('webhook');
    const update = { update_id: 778, message: textMessage('/start') } as Update;
    expect(await harness.fake.deliverWebhook(harness.webhookUrl, 'wrong-secret_0123456789', update)).toBe(
      401,
    );
    expect(await harness.fake.deliverWebhook(harness.webhookUrl, '', update)).toBe(401);
    await harness.router.drain();
    expect(await harness.prisma.inboundEvent.count()).toBe(0);
    expect(harness.fake.callsTo('sendMessage')).toHaveLength(0);
  });
});

describe('Telegram sending', () => {
  it('waits out a 429 retry_after and then sends', async () => {
    harness = await createTelegramHarness('polling', (fake) =>
      fake.failNext('sendMessage', 1, {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        retry_after: 1,
      }),
    );
    await harness.fake.sendText(USER, '/start');
    const [limited, sent] = await harness.fake.waitForCalls('sendMessage', 2, 5_000);
    expect((sent?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(harness.fake.lastMessageTo(USER)?.text).toBe(harness.ar('onboarding:welcome.text'));
  });

  it('logs a user who blocked the bot instead of failing the delivery', async () => {
    harness = await createTelegramHarness('polling');
    harness.fake.failNext('sendMessage', 1, {
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await expect(
      harness.adapter.sink.deliver(String(USER), [{ text: 'أ' }, { text: 'ب' }]),
    ).resolves.toBeUndefined();
    expect(harness.fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('turns the pages of a long keyboard in place, and calls a page button it no longer knows stale', async () => {
    harness = await createTelegramHarness('polling');
    const { fake } = harness;
    const choices = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, label: `منتج ${i}` }));
    await harness.adapter.sink.deliver(String(USER), [{ text: 'اختاري منتجًا', choices, choiceToken: 'tk' }]);
    const list = fake.lastMessageTo(USER);
    expect(keyboardOf(list).map((b) => b.text)).toContain(TELEGRAM_TEXTS.labels.ar.next);

    await fake.pressButton(USER, list?.message_id ?? 0, pageData(1));
    await fake.waitForCalls('editMessageReplyMarkup', 1);
    expect(keyboardOf(fake.lastMessageTo(USER)).map((b) => b.text)).toEqual([
      'منتج 8',
      'منتج 9',
      'منتج 10',
      'منتج 11',
      TELEGRAM_TEXTS.labels.ar.previous,
    ]);
    await fake.waitForCalls('answerCallbackQuery', 1);

    await harness.adapter.sink.deliver(String(USER), [{ text: 'رسالة بلا صفحات' }]);
    await fake.pressButton(USER, fake.lastMessageTo(USER)?.message_id ?? 0, pageData(1));
    const answers = await fake.waitForCalls('answerCallbackQuery', 2);
    expect(answers[1]?.params.text).toBe(TELEGRAM_TEXTS.labels.ar.staleButton);
    expect(await harness.prisma.inboundEvent.count()).toBe(0);
  });
});

describe('Telegram long polling', () => {
  it('confirms an offset only after every update before it is stored', async () => {
    const pushed: Update[] = [];
    const violations: string[] = [];
    harness = await createTelegramHarness('polling', (fake) =>
      fake.intercept('getUpdates', async ({ offset }) => {
        const confirmed = pushed.filter((u) => typeof offset === 'number' && u.update_id < offset);
        const stored = await harness?.prisma.inboundEvent.count({
          where: { channel: 'telegram', externalMessageId: { in: confirmed.map((u) => `u${u.update_id}`) } },
        });
        if (stored !== confirmed.length)
          violations.push(`offset ${offset}: ${stored}/${confirmed.length} stored`);
      }),
    );
    for (const text of ['/start', 'مرحبا', 'القائمة'])
      pushed.push((await harness.fake.sendText(USER, text)).update);
    await harness.fake.waitForCalls('sendMessage', 3);
    const last = pushed.at(-1)?.update_id ?? 0;
    await waitUntil(
      () => harness?.fake.callsTo('getUpdates').some((c) => c.params.offset === last + 1) ?? false,
    );
    expect(violations).toEqual([]);
    expect(await harness.prisma.inboundEvent.count()).toBe(3);
  });

  it('does not confirm an update it could not store: it is stored on retry and nothing is skipped', async () => {
    const fake = await startFakeTelegram({ maxHoldMs: 200 });
    const accepted: string[] = [];
    const early: unknown[] = [];
    let failures = 3;
    const first = (await fake.sendText(USER, 'واحد')).update.update_id;
    const second = first + 1;
    await fake.sendText(USER, 'اثنان');
    await fake.sendText(USER, 'ثلاثة');
    fake.intercept('getUpdates', ({ offset }) => {
      if (typeof offset === 'number' && offset > second && !accepted.includes(`u${second}`))
        early.push(offset);
    });
    const adapter = pollingAdapter(
      fake,
      stubRouter(async (msg) => {
        if (msg.externalMessageId === `u${second}` && failures-- > 0) throw new Error('database is down');
        accepted.push(msg.externalMessageId);
      }),
    );
    await adapter.start();
    await waitUntil(() => fake.callsTo('getUpdates').some((c) => c.params.offset === second + 2));
    await adapter.stop();
    await fake.close();
    expect(failures).toBe(-1);
    expect(accepted).toEqual([`u${first}`, `u${second}`, `u${second + 1}`]);
    expect(early).toEqual([]);
  });

  it('leaves an unstored update with Telegram across a stop, for the next start to fetch', async () => {
    const fake = await startFakeTelegram({ maxHoldMs: 200 });
    const failing = pollingAdapter(
      fake,
      stubRouter(async () => {
        throw new Error('database is down');
      }),
    );
    const { update } = await fake.sendText(USER, '/start');
    await failing.start();
    await fake.waitForCalls('getUpdates', 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await failing.stop();
    expect(fake.pendingUpdates().map((u) => u.update_id)).toEqual([update.update_id]);

    const accepted: string[] = [];
    const working = pollingAdapter(
      fake,
      stubRouter(async (msg) => void accepted.push(msg.externalMessageId)),
    );
    await working.start();
    await waitUntil(() => accepted.length === 1);
    await working.stop();
    await fake.close();
    expect(accepted).toEqual([`u${update.update_id}`]);
  });

  it('honours retry_after on a 429 from getUpdates and backs off on other failures', async () => {
    harness = await createTelegramHarness('polling', (fake) => {
      fake.failNext('getUpdates', 1, { error_code: 429, description: 'Too Many Requests', retry_after: 1 });
      fake.failNext('getUpdates', 1, { error_code: 502, description: 'Bad Gateway' });
    });
    const [limited, failed, next] = await harness.fake.waitForCalls('getUpdates', 3);
    expect((failed?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect((next?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(15);
    await harness.fake.sendText(USER, '/start');
    await harness.fake.waitForCalls('sendMessage', 1);
  });

  it('stops promptly while a long poll is pending', async () => {
    harness = await createTelegramHarness('polling');
    await harness.fake.waitForCalls('getUpdates', 1);
    const started = Date.now();
    await harness.adapter.stop();
    expect(Date.now() - started).toBeLessThan(200);
  });
});

function textMessage(text: string) {
  const user = { id: USER, is_bot: false, first_name: 'Amal' };
  return {
    message_id: 1,
    date: 0,
    chat: { id: USER, type: 'private', first_name: 'Amal' },
    from: user,
    text,
  };
}

/** A router that only stores (or fails to): enough to prove what polling confirms. */
function stubRouter(store: (msg: InboundMessage) => Promise<void>): MessageRouter {
  return {
    attach() {},
    async accept(msg: InboundMessage) {
      await store(msg);
      return { duplicate: false as const, handled: Promise.resolve([]) };
    },
    recover: async () => 0,
    drain: async () => {},
  } as unknown as MessageRouter;
}

function pollingAdapter(fake: FakeTelegram, router: MessageRouter) {
  return createTelegramAdapter(
    { token: fake.token, apiRoot: fake.apiRoot, mode: { kind: 'polling' } },
    {
      router,
      logger: pino({ level: 'silent' }),
      ...TELEGRAM_TEXTS,
      polling: { timeoutSeconds: 1, minBackoffMs: 10, maxBackoffMs: 50 },
    },
  );
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
