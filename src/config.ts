import { existsSync } from 'node:fs';
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

/** A WhatsApp template's name and language code, as Meta's template manager shows them. */
const templateName = z
  .string()
  .regex(/^[a-z0-9_]{1,512}$/, 'must be a template name: lower-case letters, digits and _');
const templateLanguage = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as ar, en or en_US');

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
  TELEGRAM_BROADCAST_CHANNEL_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+$/, 'must be a channel id (like -1001234567890)')
      .optional(),
  ),
  WHATSAPP_CLOUD_TOKEN: optionalString,
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be the numeric phone number id (WhatsApp > API Setup), not the phone number')
      .optional(),
  ),
  WHATSAPP_CLOUD_APP_SECRET: optionalString.pipe(
    z.string().min(16, 'must be the app secret (App settings > Basic), at least 16 characters').optional(),
  ),
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalString.pipe(
    z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  ),
  WHATSAPP_CLOUD_API_ROOT: url.default('https://graph.facebook.com/v21.0'),
  WHATSAPP_CLOUD_TEMPLATE_NAME: optionalString.pipe(templateName.optional()),
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: templateLanguage.default('ar'),
  WHATSAPP_CLOUD_TEMPLATE_NAME_EN: optionalString.pipe(templateName.optional()),
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: optionalString.pipe(templateLanguage.optional()),
  WHATSAPP_CLOUD_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
  WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: z.coerce.number().positive().max(1000).default(0.16),
  WHATSAPP_WEB_ENABLED: booleanFlag.default(false),
  CHROMIUM_PATH: optionalString,
  WHATSAPP_WEB_MAX_MEMORY_MB: z.coerce.number().int().min(100).max(65_536).default(600),
  WHATSAPP_WEB_MIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  WHATSAPP_WEB_MAX_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  WHATSAPP_WEB_DAILY_CAP: z.coerce.number().int().min(1).max(100_000).default(500),
  WHATSAPP_WEB_SENDING: z.enum(['on', 'off'], 'must be on or off').default('on'),
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
    /** The coalition's channel: its posts are offered in the coordinators' chat for relaying. */
    broadcastChannelId?: string;
    /**
     * Telegram's pace, replies and outbox together: messages a second overall and, for the outbox, to
     * any one chat (default 25 and 1).
     */
    rate?: { perSecond: number; perChatPerSecond: number };
    mode: { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string };
  };
  whatsappCloud?: WhatsAppCloudConfig;
  whatsappWeb?: WhatsAppWebConfig;
  coordinators: { telegramIds: string[]; phones: string[] };
  /** `token` is ADMIN_API_TOKEN; named tokens (`npm run admin:token`) live in the database. */
  admin: { token?: string };
  /** `moderation`: a new product waits for a coordinator before buyers see it. */
  products: { moderation: boolean };
}

/** The WhatsApp Cloud API channel: on when a token and a phone number id are set. */
export interface WhatsAppCloudConfig {
  token: string;
  phoneNumberId: string;
  /** Signs every webhook call (X-Hub-Signature-256). */
  appSecret: string;
  /** What Meta's webhook verification must present. */
  verifyToken: string;
  apiRoot: string;
  /**
   * The approved templates for messages outside the 24-hour window, by the recipient's language
   * (English falls back to the default one); a message without one is skipped.
   */
  templates?: Partial<Record<'ar' | 'en', { name: string; language: string }>>;
  /** The outbox's send rate: messages a second overall and to any one person (default 20 and 0.16). */
  rate: { perSecond: number; perChatPerSecond: number };
}

/** The WhatsApp Web channel (whatsapp-web.js driving Chromium): on with WHATSAPP_WEB_ENABLED. */
export interface WhatsAppWebConfig {
  /** DATA_DIR/whatsapp-web: the LocalAuth session (so a restart needs no new QR) and the version cache. */
  dataPath: string;
  chromiumPath: string;
  /** Past this resident memory the browser is restarted, keeping the session. */
  maxMemoryMb: number;
  /** The gap between two messages of the number, drawn between the two (default 3–5 s). */
  pacing: { minDelayMs: number; maxDelayMs: number };
  /** Messages a day (midnight to midnight in Gaza), replies included. */
  dailyCap: number;
  /** WHATSAPP_WEB_SENDING=off: nothing is sent; messages are still received. */
  sending: boolean;
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
    whatsappCloud:
      e.WHATSAPP_CLOUD_TOKEN || e.WHATSAPP_CLOUD_PHONE_NUMBER_ID ? whatsappCloudConfig(e) : undefined,
    whatsappWeb: e.WHATSAPP_WEB_ENABLED ? whatsappWebConfig(e, dataDir) : undefined,
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
    broadcastChannelId: e.TELEGRAM_BROADCAST_CHANNEL_ID,
    rate: { perSecond: e.TELEGRAM_RATE_PER_SECOND, perChatPerSecond: e.TELEGRAM_RATE_PER_CHAT_PER_SECOND },
    mode,
  };
}

/** The Cloud API needs all four: a token and a number to send, a secret and a verify token for the webhook. */
function whatsappCloudConfig(e: z.output<typeof envSchema>): WhatsAppCloudConfig {
  const required = (variable: string, value: string | undefined): string => {
    if (value) return value;
    throw new ConfigError(
      `Invalid ${variable}: required when WHATSAPP_CLOUD_TOKEN or WHATSAPP_CLOUD_PHONE_NUMBER_ID is set`,
      variable,
    );
  };
  return {
    token: required('WHATSAPP_CLOUD_TOKEN', e.WHATSAPP_CLOUD_TOKEN),
    phoneNumberId: required('WHATSAPP_CLOUD_PHONE_NUMBER_ID', e.WHATSAPP_CLOUD_PHONE_NUMBER_ID),
    appSecret: required('WHATSAPP_CLOUD_APP_SECRET', e.WHATSAPP_CLOUD_APP_SECRET),
    verifyToken: required('WHATSAPP_CLOUD_VERIFY_TOKEN', e.WHATSAPP_CLOUD_VERIFY_TOKEN),
    apiRoot: e.WHATSAPP_CLOUD_API_ROOT.replace(/\/+$/, ''),
    ...windowTemplates(e),
    rate: {
      perSecond: e.WHATSAPP_CLOUD_RATE_PER_SECOND,
      perChatPerSecond: e.WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND,
    },
  };
}

/**
 * The default template (WHATSAPP_CLOUD_TEMPLATE_NAME, in WHATSAPP_CLOUD_TEMPLATE_LANGUAGE) and the one
 * for English speakers: its own name or language when either is set (the other taken from the
 * default; an English name alone is in `en`), else the default.
 */
function windowTemplates(e: z.output<typeof envSchema>): Pick<WhatsAppCloudConfig, 'templates'> {
  const ar = e.WHATSAPP_CLOUD_TEMPLATE_NAME
    ? { name: e.WHATSAPP_CLOUD_TEMPLATE_NAME, language: e.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE }
    : undefined;
  const enName = e.WHATSAPP_CLOUD_TEMPLATE_NAME_EN ?? (e.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN && ar?.name);
  const en = enName ? { name: enName, language: e.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN ?? 'en' } : ar;
  if (!ar && !en) return {};
  return { templates: { ...(ar ? { ar } : {}), ...(en ? { en } : {}) } };
}

/** Where Debian's chromium package puts the browser: used when CHROMIUM_PATH is not set. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function whatsappWebConfig(e: z.output<typeof envSchema>, dataDir: string): WhatsAppWebConfig {
  const chromiumPath = e.CHROMIUM_PATH ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
  if (!chromiumPath || !existsSync(chromiumPath)) {
    const why = chromiumPath
      ? `no file at ${chromiumPath}`
      : `required with WHATSAPP_WEB_ENABLED (no browser at ${DEBIAN_CHROMIUM})`;
    throw new ConfigError(`Invalid CHROMIUM_PATH: ${why}`, 'CHROMIUM_PATH');
  }
  if (e.WHATSAPP_WEB_MAX_DELAY_MS < e.WHATSAPP_WEB_MIN_DELAY_MS) {
    throw new ConfigError(
      'Invalid WHATSAPP_WEB_MAX_DELAY_MS: must not be less than WHATSAPP_WEB_MIN_DELAY_MS',
      'WHATSAPP_WEB_MAX_DELAY_MS',
    );
  }
  return {
    dataPath: path.join(dataDir, 'whatsapp-web'),
    chromiumPath,
    maxMemoryMb: e.WHATSAPP_WEB_MAX_MEMORY_MB,
    pacing: { minDelayMs: e.WHATSAPP_WEB_MIN_DELAY_MS, maxDelayMs: e.WHATSAPP_WEB_MAX_DELAY_MS },
    dailyCap: e.WHATSAPP_WEB_DAILY_CAP,
    sending: e.WHATSAPP_WEB_SENDING === 'on',
  };
}
