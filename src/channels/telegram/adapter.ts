import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { Bot, BotError, type Context, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Locale } from '../../core/flow.js';
import type { OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import { adminChatComposer, type TelegramAdminChat } from './admin-chat.js';
import { floodControl } from './flood-control.js';
import {
  ALLOWED_UPDATES,
  apiSignal,
  DEFAULT_POLLING,
  describeError,
  type PollingOptions,
  pollUpdates,
  retrying,
} from './polling.js';
import { inlineKeyboard, type Paging, parsePageData, type RenderLabels, renderMessage } from './render.js';
import { translateUpdate } from './translate.js';

/** The slash commands shown in Telegram's menu; each maps to a global keyword of the engine. */
export const TELEGRAM_COMMANDS = ['start', 'menu', 'help', 'language', 'stop', 'cancel'] as const;
/** One description per command, in one language. */
export type CommandDescriptions = Record<(typeof TELEGRAM_COMMANDS)[number], string>;

export interface TelegramAdapterDeps {
  router: MessageRouter;
  logger: Logger;
  /** Per language: button labels and the answer to a page button of a keyboard we no longer know. */
  labels: Record<Locale, RenderLabels & { staleButton: string }>;
  /** Command descriptions from the locales: Arabic is the default list, English the `en` one. */
  commands: { ar: CommandDescriptions; en: CommandDescriptions };
  /** Long-polling timing (tests shorten it). */
  polling?: Partial<PollingOptions>;
  /** Longest 429 `retry_after` a send waits for before giving up (default 60 s). */
  maxRetryAfterSeconds?: number;
  /** The coordinators' chat: its updates go to the admin console instead of the engine. */
  adminChat?: TelegramAdminChat;
}

/** Thrown when an update could not be stored: it must be fetched or delivered again, never skipped. */
class InboxError extends Error {
  constructor(cause: unknown) {
    super('the update could not be stored', { cause });
  }
}

/** How many paginated keyboards are remembered for page turns; older ones answer "stale". */
const PAGED_KEYBOARDS = 1_000;

/**
 * The Telegram channel: translates updates for the router and renders its replies. Long polling
 * (default) confirms an update only after it is stored; webhook mode checks the secret, stores the
 * update and answers 200 without waiting for the reply.
 */
export function createTelegramAdapter(config: NonNullable<Config['telegram']>, deps: TelegramAdapterDeps) {
  const { router, labels } = deps;
  const logger = deps.logger.child({ channel: 'telegram' });
  const polling = { ...DEFAULT_POLLING, ...deps.polling };
  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
  bot.api.config.use(
    floodControl({ maxRetryAfterSeconds: deps.maxRetryAfterSeconds ?? 60, maxAttempts: 3, logger }),
  );
  const paged = new Map<string, Paging & { locale: Locale }>();
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  function remember(chatId: number, messageId: number, paging: Paging & { locale: Locale }) {
    paged.set(`${chatId}:${messageId}`, paging);
    if (paged.size > PAGED_KEYBOARDS) paged.delete(paged.keys().next().value as string);
  }

  function answer(ctx: Context, text?: string) {
    ctx
      .answerCallbackQuery(text ? { text } : undefined)
      .catch((err) => logger.debug(describeError(err), 'answerCallbackQuery failed'));
  }

  if (deps.adminChat) bot.use(adminChatComposer({ ...deps.adminChat, send, logger }));

  bot.on('callback_query:data', async (ctx, next) => {
    const page = parsePageData(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (page === null || !message) return next();
    const paging = paged.get(`${message.chat.id}:${message.message_id}`);
    if (!paging) return answer(ctx, labels[ctx.from.language_code === 'en' ? 'en' : 'ar'].staleButton);
    answer(ctx);
    await ctx
      .editMessageReplyMarkup({
        reply_markup: inlineKeyboard(paging.choices, paging.token, labels[paging.locale], page),
      })
      .catch((err) => logger.warn(describeError(err), 'turning a keyboard page failed'));
  });

  bot.use(async (ctx, next) => {
    const msg = translateUpdate(ctx.update);
    if (!msg) return next();
    const acceptance = await router.accept(msg).catch((err) => {
      throw new InboxError(err);
    });
    if (ctx.callbackQuery) answer(ctx);
    logger.debug({ updateId: ctx.update.update_id, duplicate: acceptance.duplicate }, 'update stored');
  });

  bot.chatType('private').on('callback_query', (ctx) => answer(ctx));

  /** Runs one update through the middleware; throws only if it was not stored (so it is not confirmed). */
  async function ingest(update: Update): Promise<void> {
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      const cause = err instanceof BotError ? err.error : err;
      if (cause instanceof InboxError) throw cause;
      logger.error(
        { ...describeError(cause), updateId: update.update_id },
        'a telegram update handler failed',
      );
    }
  }

  /** Sends one message (split if long, buttons on the last part); resolves with the last part's id. */
  async function send(chatId: number, message: OutboundMessage, replyTo?: number): Promise<number> {
    const locale = message.locale ?? 'ar';
    const { sends, unsentPhoto } = renderMessage(message, labels[locale]);
    if (unsentPhoto)
      logger.warn({ media: unsentPhoto.kind }, 'photo cannot be sent on telegram yet; sent its text');
    let lastId = 0;
    for (const [i, part] of sends.entries()) {
      const reply =
        replyTo && i === 0
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {};
      const sent =
        part.method === 'sendMessage'
          ? await bot.api.sendMessage(chatId, part.text, { ...part.other, ...reply })
          : await bot.api.sendPhoto(chatId, part.photo, { ...part.other, ...reply });
      if (part.paging) remember(chatId, sent.message_id, { ...part.paging, locale });
      lastId = sent.message_id;
    }
    return lastId;
  }

  async function sendAll(chatId: number, messages: OutboundMessage[]) {
    for (const message of messages) await send(chatId, message);
  }

  /** Where the router delivers replies; a user who blocked the bot is logged, not treated as our failure. */
  const sink: ReplySink = {
    async deliver(externalUserId, messages) {
      try {
        await sendAll(Number(externalUserId), messages);
      } catch (err) {
        if (!(err instanceof GrammyError && err.error_code === 403)) throw err;
        logger.warn({ userId: externalUserId, ...describeError(err) }, 'telegram user cannot be reached');
      }
    },
  };
  router.attach('telegram', sink);

  /** The command menus, Arabic by default and English for `en`; a failure only costs the menu. */
  async function setCommands() {
    const lists = [
      { descriptions: deps.commands.ar, other: {} },
      { descriptions: deps.commands.en, other: { language_code: 'en' as const } },
    ];
    for (const { descriptions, other } of lists) {
      const commands = TELEGRAM_COMMANDS.map((command) => ({ command, description: descriptions[command] }));
      await bot.api
        .setMyCommands(commands, other)
        .catch((err) => logger.warn(describeError(err), 'setting the telegram command menu failed'));
    }
  }

  async function setUp(signal: AbortSignal) {
    const retry = <T>(task: () => Promise<T>, what: string) => retrying(task, what, polling, logger, signal);
    await retry(() => bot.init(apiSignal(signal)), 'getMe');
    const { mode } = config;
    if (mode.kind === 'webhook') {
      const options = { secret_token: mode.secret, allowed_updates: ALLOWED_UPDATES };
      await retry(() => bot.api.setWebhook(mode.url, options, apiSignal(signal)), 'setWebhook');
    } else {
      await retry(() => bot.api.deleteWebhook(undefined, apiSignal(signal)), 'deleteWebhook');
    }
    await setCommands();
  }

  return {
    bot,
    sink,
    /**
     * Sends one message to a chat (a person or a group), as a reply when `replyTo` is given; resolves
     * with the id of its last Telegram message (the one carrying the buttons). Errors are grammY's.
     */
    send: (chatId: number | string, message: OutboundMessage, replyTo?: number) =>
      send(Number(chatId), message, replyTo),
    /**
     * Initialises the bot (getMe), sets or deletes the webhook and the command menu, then, in
     * polling mode, starts the polling loop in the background. Network failures are retried with
     * backoff; the promise resolves once Telegram accepted the setup.
     */
    async start(): Promise<void> {
      if (running) return;
      const controller = new AbortController();
      const ready = setUp(controller.signal);
      const done = ready.then(() =>
        config.mode.kind === 'polling'
          ? pollUpdates(bot.api, ingest, polling, logger, controller.signal)
          : undefined,
      );
      const stopped = (err: unknown) => {
        if (!controller.signal.aborted) logger.error(describeError(err), 'telegram stopped unexpectedly');
      };
      running = { controller, done: done.catch(stopped) };
      await ready;
      logger.info({ mode: config.mode.kind }, 'telegram started');
    },

    /** Stops polling at once (the pending long poll is aborted); replies already queued still go out. */
    async stop(): Promise<void> {
      if (!running) return;
      running.controller.abort();
      await running.done;
      running = undefined;
    },

    /** Express handler for `POST /telegram/webhook` (webhook mode only); mount it without a JSON parser. */
    webhookHandler:
      config.mode.kind === 'webhook'
        ? createWebhookHandler(config.mode.secret, bot, ingest, logger)
        : undefined,
  };
}

export type TelegramAdapter = ReturnType<typeof createTelegramAdapter>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Checks the secret header in constant time before reading the body, stores the update, answers 200. */
function createWebhookHandler(
  secret: string,
  bot: Bot,
  ingest: (update: Update) => Promise<void>,
  logger: Logger,
): RequestHandler {
  const expected = digest(secret);
  const json = express.json({ limit: '1mb' });
  return (req, res, next) => {
    const given = req.get('x-telegram-bot-api-secret-token') ?? '';
    if (!timingSafeEqual(digest(given), expected)) {
      res.sendStatus(401);
      return;
    }
    if (!bot.isInited()) {
      res.sendStatus(503);
      return;
    }
    json(req, res, (err?: unknown) => {
      if (err) return next(err);
      const update = req.body as Update | undefined;
      if (typeof update?.update_id !== 'number') {
        res.sendStatus(400);
        return;
      }
      ingest(update).then(
        () => res.sendStatus(200),
        (error) => {
          logger.error(
            { ...describeError(error), updateId: update.update_id },
            'storing a webhook update failed',
          );
          res.sendStatus(500);
        },
      );
    });
  };
}
