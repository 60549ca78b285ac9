import path from 'node:path';
import { z } from 'zod';
import { parsePhone } from './i18n/parse.js';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const commaList = <T>(item: z.ZodType<T, string>) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const url = z.url({ protocol: /^https?$/ });

/** A phone number in any form parsePhone reads, stored as E.164. */
const phone = z.string().transform((value, ctx) => {
  const parsed = parsePhone(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: 'must be phone numbers separated by commas, e.g. 0599123456' });
  return z.NEVER;
});

/** The environment as zod reads it; every variable is listed with a comment in .env.example. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file:, postgres:// or postgresql://')
      .optional(),
  ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalString.pipe(url.optional()),
  DEFAULT_LOCALE: z.enum(['ar', 'en']).default('ar'),
  CONVERSATION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  WEB_CHAT_ENABLED: booleanFlag.default(true),

  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF… (from @BotFather)')
      .optional(),
  ),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ or -')
      .optional(),
  ),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(25),
  TELEGRAM_RATE_PER_CHAT_PER_SECOND: z.coerce.number().positive().max(1000).default(1),
  TELEGRAM_ADMIN_CHAT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+$/, 'must be a chat id')
      .optional(),
  ),
  COORDINATOR_TELEGRAM_IDS: commaList(
    z.string().regex(/^\d+$/, 'must be Telegram user ids separated by commas'),
  ),
  COORDINATOR_PHONES: commaList(phone),
  PRODUCT_MODERATION: booleanFlag.default(true),
  ADMIN_API_TOKEN: optionalString.pipe(
    z.string().min(24, 'must be at least 24 characters').max(512).optional(),
  ),
});

export type Env = z.input<typeof envSchema>;

/** Every variable Taawun reads; `.env.example` documents each (a test keeps the two in step). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

/** The typed configuration every module receives; built once at start. */
export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  dataDir: string;
  databaseUrl: string;
  http: { port: number; host: string; publicUrl?: string };
  defaultLocale: 'ar' | 'en';
  conversationTtlMs: number;
  web: { enabled: boolean };
  telegram?: {
    token: string;
    apiRoot: string;
    adminChatId?: string;
    /** The outbox's send rate on Telegram: messages a second overall and to any one chat (default 25 and 1). */
    rate?: { perSecond: number; perChatPerSecond: number };
    mode: { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string };
  };
  coordinators: { telegramIds: string[]; phones: string[] };
  /** `token` is ADMIN_API_TOKEN; named tokens (`npm run admin:token`) live in the database. */
  admin: { token?: string };
  /** `moderation`: a new product waits for a coordinator before buyers see it. */
  products: { moderation: boolean };
}

/** Thrown with one line naming the variable, so a bad start says exactly what to fix. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and builds the Config, or throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid ${variable}: ${issue?.message ?? 'invalid value'}`, variable);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, 'taawun.db')}`,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL },
    defaultLocale: e.DEFAULT_LOCALE,
    conversationTtlMs: e.CONVERSATION_TTL_HOURS * 3_600_000,
    web: { enabled: e.WEB_CHAT_ENABLED },
    telegram: e.TELEGRAM_BOT_TOKEN ? telegramConfig(e) : undefined,
    coordinators: { telegramIds: e.COORDINATOR_TELEGRAM_IDS, phones: e.COORDINATOR_PHONES },
    admin: { token: e.ADMIN_API_TOKEN },
    products: { moderation: e.PRODUCT_MODERATION },
  };
}

function telegramConfig(e: z.output<typeof envSchema>): Config['telegram'] {
  const token = e.TELEGRAM_BOT_TOKEN as string;
  let mode: NonNullable<Config['telegram']>['mode'] = { kind: 'polling' };
  if (e.PUBLIC_URL) {
    if (!e.TELEGRAM_WEBHOOK_SECRET) {
      throw new ConfigError(
        'Invalid TELEGRAM_WEBHOOK_SECRET: required when PUBLIC_URL is set (webhook mode)',
        'TELEGRAM_WEBHOOK_SECRET',
      );
    }
    mode = {
      kind: 'webhook',
      url: new URL('telegram/webhook', e.PUBLIC_URL.endsWith('/') ? e.PUBLIC_URL : `${e.PUBLIC_URL}/`).href,
      secret: e.TELEGRAM_WEBHOOK_SECRET,
    };
  }
  return {
    token,
    apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    adminChatId: e.TELEGRAM_ADMIN_CHAT_ID,
    rate: { perSecond: e.TELEGRAM_RATE_PER_SECOND, perChatPerSecond: e.TELEGRAM_RATE_PER_CHAT_PER_SECOND },
    mode,
  };
}
