import { randomBytes } from 'node:crypto';
import type { InlineKeyboardButton, Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, webSend } from '../support/app.js';
import { dropPostgresSchema, TEST_POSTGRES_URL } from '../support/db.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';

const USER = 4242;
const buttons = (message: Message | undefined): InlineKeyboardButton[] =>
  (message?.reply_markup?.inline_keyboard ?? []).flat();

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

// The whole app as `npm start` builds it, configured only through the environment.
describe('Taawun started from its configuration', () => {
  it('talks Arabic on Telegram (TELEGRAM_BOT_TOKEN + TELEGRAM_API_ROOT) and advances on a press', async () => {
    const fake: FakeTelegram = await startFakeTelegram({ maxHoldMs: 300 });
    cleanups.push(() => fake.close());
    const app = await startTestApp({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    cleanups.push(() => app.cleanup());

    const health = await (await fetch(`${app.baseUrl}/health`)).json();
    expect(health.channels.telegram).toBe('polling');

    await fake.sendText(USER, '/start');
    await fake.waitForCalls('sendMessage', 1);
    const welcome = fake.lastMessageTo(USER);
    expect(welcome?.text).toContain('أهلًا وسهلًا');
    const continueButton = buttons(welcome).find((b) => b.text === 'متابعة بالعربية');
    expect(continueButton && 'callback_data' in continueButton).toBe(true);

    await fake.pressButton(
      USER,
      welcome?.message_id ?? 0,
      (continueButton as { callback_data: string }).callback_data,
    );
    await fake.waitForCalls('sendMessage', 2);
    expect(fake.lastMessageTo(USER)?.text).toContain('خصوصيتكِ');
    const commands = fake.callsTo('setMyCommands');
    expect(commands.map((c) => c.params.language_code ?? 'default')).toEqual(['default', 'en']);
  });

  it('behaves the same on PostgreSQL (DATABASE_URL=postgresql://…)', async () => {
    const schema = `app_${randomBytes(5).toString('hex')}`;
    const app = await startTestApp({ DATABASE_URL: `${TEST_POSTGRES_URL}?schema=${schema}` });
    cleanups.push(async () => {
      await app.cleanup();
      await dropPostgresSchema(schema);
    });
    expect(app.taawun.database.provider).toBe('postgresql');
    const welcome = await webSend(app.baseUrl, 'pg-session-1', { text: '/start' });
    expect(welcome.messages[0]?.text).toContain('أهلًا وسهلًا');
    const consent = await webSend(app.baseUrl, 'pg-session-1', { text: 'متابعة' });
    expect(consent.messages[0]?.text).toContain('خصوصيتكِ');
    const health = await (await fetch(`${app.baseUrl}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', db: 'ok' });
  });
});
