import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/config.js';

const TOKEN = '123456:ABC-def_ghi';

describe('loadConfig', () => {
  it('runs with no environment at all: SQLite under ./data, web chat on, Telegram off', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe(`file:${path.resolve('data', 'taawun.db')}`);
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', publicUrl: undefined });
    expect(config.defaultLocale).toBe('ar');
    expect(config.web.enabled).toBe(true);
    expect(config.telegram).toBeUndefined();
    expect(config.conversationTtlMs).toBe(24 * 3_600_000);
  });

  it('treats empty values as unset, as a copied .env.example has them', () => {
    const config = loadConfig({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '', PUBLIC_URL: '' });
    expect(config.telegram).toBeUndefined();
    expect(config.databaseUrl.startsWith('file:')).toBe(true);
  });

  it('selects long polling without PUBLIC_URL and a webhook with it', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram?.mode).toEqual({ kind: 'polling' });
    const webhook = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      PUBLIC_URL: 'https://bot.example.org/taawun',
      TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
    }).telegram;
    expect(webhook?.mode).toEqual({
      kind: 'webhook',
      url: 'https://bot.example.org/taawun/telegram/webhook',
      secret: 'a-long-enough-secret',
    });
    expect(webhook?.apiRoot).toBe('http://127.0.0.1:8081');
  });

  it('reads the Telegram send rate: 25/s and 1/s per chat unless set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram?.rate).toEqual({
      perSecond: 25,
      perChatPerSecond: 1,
    });
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_RATE_PER_SECOND: '20',
      TELEGRAM_RATE_PER_CHAT_PER_SECOND: '0.5',
    });
    expect(config.telegram?.rate).toEqual({ perSecond: 20, perChatPerSecond: 0.5 });
    expect(() => loadConfig({ TELEGRAM_RATE_PER_SECOND: '0' })).toThrow(/TELEGRAM_RATE_PER_SECOND/);
  });

  it('reads comma-separated coordinator ids and a PostgreSQL URL', () => {
    const config = loadConfig({
      COORDINATOR_TELEGRAM_IDS: ' 111, 222 ,',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/taawun',
    });
    expect(config.coordinators.telegramIds).toEqual(['111', '222']);
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/taawun');
  });

  it('reads coordinator phones in any form as E.164, and the admin API token', () => {
    const config = loadConfig({
      COORDINATOR_PHONES: '0599123456, +970 59 912 3457,',
      ADMIN_API_TOKEN: ` ${'t'.repeat(24)} `,
    });
    expect(config.coordinators.phones).toEqual(['+970599123456', '+970599123457']);
    expect(config.admin.token).toBe('t'.repeat(24));
    expect(loadConfig({}).coordinators.phones).toEqual([]);
    expect(loadConfig({ ADMIN_API_TOKEN: '' }).admin.token).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_API_ROOT: 'ftp://x' }, 'TELEGRAM_API_ROOT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_URL: 'https://x.org' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_WEBHOOK_SECRET: 'short' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ COORDINATOR_TELEGRAM_IDS: '12,abc' }, 'COORDINATOR_TELEGRAM_IDS'],
    [{ COORDINATOR_PHONES: '0599123456,12' }, 'COORDINATOR_PHONES'],
    [{ ADMIN_API_TOKEN: 'too-short-a-token' }, 'ADMIN_API_TOKEN'],
    [{ WEB_CHAT_ENABLED: 'maybe' }, 'WEB_CHAT_ENABLED'],
  ])('stops on %o with one line naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(new RegExp(`^Invalid ${variable}: [^\\n]+$`));
  });

  it('documents every variable in .env.example, with a comment above it', () => {
    const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');
    const variable = (line: string | undefined) => /^([A-Z_]+)=/.exec(line ?? '')?.[1];
    // A comment documents the variable under it, or a group of variables set on consecutive lines.
    const commented = (i: number): boolean =>
      variable(lines[i - 1]) ? commented(i - 1) : Boolean(lines[i - 1]?.startsWith('#'));
    const documented = lines.flatMap((line, i) => {
      const name = variable(line);
      return name && commented(i) ? [name] : [];
    });
    expect(documented.sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
