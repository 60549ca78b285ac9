import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTestApp, webSend } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { dropPostgresSchema, TEST_POSTGRES_URL } from '../support/db.js';
import { startFakeTelegram } from '../support/fake-telegram.js';
import { inlineButtons, telegramUser } from '../support/telegram-app.js';

const USER = 4242;
const cleanups = useCleanups();

// The whole app as `npm start` builds it, configured only through the environment.
describe('Taawun started from its configuration', () => {
  it('talks Arabic on Telegram (TELEGRAM_BOT_TOKEN + TELEGRAM_API_ROOT) and advances on a press', async () => {
    // Only the two variables the test names (startTelegramApp would add the coordinators' chat).
    const fake = await startFakeTelegram({ maxHoldMs: 300 });
    cleanups.push(() => fake.close());
    const app = await startTestApp({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    cleanups.push(() => app.cleanup());

    const health = await (await fetch(`${app.baseUrl}/health`)).json();
    expect(health.channels.telegram).toBe('polling');

    const user = telegramUser(fake, USER);
    const welcome = await user.say('/start');
    expect(welcome.text).toContain('أهلًا وسهلًا');
    const continueButton = inlineButtons(welcome).find((b) => b.text === 'متابعة بالعربية');
    expect(continueButton && 'callback_data' in continueButton).toBe(true);

    const consent = await user.press('متابعة بالعربية');
    expect(consent.text).toContain('خصوصيتكِ');
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
