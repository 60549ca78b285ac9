import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { Bot, BotError, type Context, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Locale } from '../../core/flow.js';
import type { OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import type { SendProgress } from '../../dispatch/errors.js';
import { type ChannelPacer, createChannelPacer, TELEGRAM_RATE } from '../../dispatch/pacer.js';
import type { MediaStore, StoredMedia } from '../../media/types.js';
import { adminChatComposer, type TelegramAdminChat } from './admin-chat.js';
import { floodControl } from './flood-control.js';
import { createStoredPhotoSender, createTelegramMediaFetcher } from './media.js';
import {
  ALLOWED_UPDATES,
  apiSignal,
  DEFAULT_POLLING,
  describeError,
  type PollingOptions,
  pollUpdates,
  retrying,
} from './polling.js';
import {
  escapeHtml,
  fullKeyboard,
  inlineKeyboard,
  type Paging,
  parsePageData,
  type RenderLabels,
  renderMessage,
  type TelegramPhoto,
} from './render.js';
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
  /** The channel's pace, shared with the outbox dispatcher (default: Telegram's default rate, alone). */
  pacer?: ChannelPacer;
  /** The coordinators' chat: its updates go to the admin console instead of the engine. */
  adminChat?: TelegramAdminChat;
  /** Where stored photos are read from and their Telegram file ids cached; without it they go as text. */
  media?: MediaStore;
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
  // A call Telegram never answers gives up after a minute (grammY waits 500 s), so a hung send can
  // neither hold an outbox lease nor a shutdown for long; long polling asks for 25 s at most.
  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot, timeoutSeconds: 60 } });
  bot.api.config.use(
    floodControl({
      pacer: deps.pacer ?? createChannelPacer(config.rate ?? TELEGRAM_RATE),
      maxRetryAfterSeconds: deps.maxRetryAfterSeconds ?? 60,
      maxAttempts: 3,
      logger,
    }),
  );
  const paged = new Map<string, Paging & { locale: Locale }>();
  const storedPhotos = deps.media ? createStoredPhotoSender(bot.api, deps.media, logger) : undefined;
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

  const mediaFetcher = createTelegramMediaFetcher(bot.api, config);
  if (deps.adminChat)
    bot.use(
      adminChatComposer({ ...deps.adminChat, send, edit: editText, media: deps.media, mediaFetcher, logger }),
    );

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

  /**
   * The file behind a stored photo. A photo that cannot go (not in the store, or its file gone from
   * disk before Telegram ever had it) goes out as its text alone: the words and buttons still arrive.
   */
  async function withStoredFile(message: OutboundMessage): Promise<[OutboundMessage, StoredMedia?]> {
    if (message.photo?.kind !== 'stored') return [message];
    const file = await deps.media?.get(message.photo.mediaId);
    if (file && (await storedPhotos?.canSend(file))) return [message, file];
    logger.warn({ mediaId: message.photo.mediaId }, 'a stored photo cannot be sent; sent its text');
    const { photo: _, ...text } = message;
    return [text];
  }

  function sendPhoto(
    chatId: number,
    photo: TelegramPhoto,
    file: StoredMedia | undefined,
    other: Parameters<typeof bot.api.sendPhoto>[2],
  ) {
    if ('fileId' in photo) return bot.api.sendPhoto(chatId, photo.fileId, other);
    if (!file || !storedPhotos) throw new Error('a stored photo was rendered without its file');
    return storedPhotos.send(chatId, file, other);
  }

  /**
   * Sends one message (split if long, buttons on the last part) from part `progress.from` on, telling
   * `progress.sent` each part that went; resolves with the last part's id.
   */
  async function send(
    chatId: number,
    outbound: OutboundMessage,
    replyTo?: number,
    { from = 0, sent: partSent }: SendProgress = {},
  ): Promise<number> {
    const locale = outbound.locale ?? 'ar';
    const [message, file] = await withStoredFile(outbound);
    const { sends, unsentPhoto } = renderMessage(message, labels[locale]);
    if (unsentPhoto)
      logger.warn(
        { media: unsentPhoto.kind },
        "another channel's photo cannot be sent on telegram; sent its text",
      );
    let lastId = 0;
    for (const [i, part] of sends.entries()) {
      if (i < from) continue;
      const reply =
        replyTo && i === 0
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {};
      const sent =
        part.method === 'sendMessage'
          ? await bot.api.sendMessage(chatId, part.text, { ...part.other, ...reply })
          : await sendPhoto(chatId, part.photo, file, { ...part.other, ...reply });
      if (part.paging) remember(chatId, sent.message_id, { ...part.paging, locale });
      lastId = sent.message_id;
      partSent?.(i + 1);
    }
    return lastId;
  }

  /** Replaces a text message's words and buttons (one keyboard, no pages); the text must fit one message. */
  async function editText(chatId: number, messageId: number, message: OutboundMessage): Promise<void> {
    const choices = message.choices ?? [];
    const keyboard = choices.length ? { reply_markup: fullKeyboard(choices, message.choiceToken) } : {};
    await bot.api.editMessageText(chatId, messageId, escapeHtml(message.text), {
      parse_mode: 'HTML',
      ...keyboard,
    });
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
    /** Downloads the photos users send; the composition root registers it with the media resolver. */
    mediaFetcher,
    /**
     * Sends one message to a chat (a person or a group), as a reply when `replyTo` is given, from
     * part `progress.from` on; resolves with the id of its last Telegram message (the one carrying the
     * buttons). Errors are grammY's.
     */
    send: (chatId: number | string, message: OutboundMessage, replyTo?: number, progress?: SendProgress) =>
      send(Number(chatId), message, replyTo, progress),
    /** Replaces the words and buttons of a message the bot sent (a progress message). Errors are grammY's. */
    editText: (chatId: number | string, messageId: number, message: OutboundMessage) =>
      editText(Number(chatId), messageId, message),
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
