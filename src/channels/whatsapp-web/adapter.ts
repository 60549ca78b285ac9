import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import qrcodeTerminal from 'qrcode-terminal';
import type { MessageMedia } from 'whatsapp-web.js';
import type { Config } from '../../config.js';
import { choiceByNumber } from '../../core/choices.js';
import { ACTION_TOKEN, type Locale } from '../../core/flow.js';
import type { InboundMessage, MediaRef, OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../../media/types.js';
import type { WhatsAppWebClient, WhatsAppWebMessage, WhatsAppWebRuntime } from './client.js';
import { sessionDirOf } from './client-factory.js';
import { type ConnectionOptions, type ConnectionState, createConnection } from './connection.js';
import { createWhatsAppWebMediaFetcher } from './media.js';
import { browserMemory, type MemoryReader, startMemoryWatchdog } from './memory-watchdog.js';
import {
  asksForNextPage,
  CAPTION_LIMIT,
  type Menu,
  type MenuLabels,
  menuLines,
  menuOf,
  pageCount,
  renderText,
} from './render.js';
import { createSendQueue, DISCONNECTED_RETRY_MS, SendRefusedError } from './send-queue.js';
import { createSenderLookup } from './sender.js';
import { createSendingGate, type SendingStatus } from './sending-gate.js';
import { translateMessage } from './translate.js';

export interface WhatsAppWebAdapterDeps {
  router: MessageRouter;
  db: Db;
  logger: Logger;
  /** whatsapp-web.js (`loadWhatsAppWebRuntime`) in production, a fake in tests. */
  runtime: WhatsAppWebRuntime;
  /** Per language: the words of the numbered menus. */
  labels: Record<Locale, MenuLabels>;
  /** Stored photos to send; without it a photo's text goes alone. */
  media?: Pick<MediaStore, 'get'>;
  clock?: () => Date;
  /** The jitter of the pacing (0 ≤ x < 1). */
  random?: () => number;
  /** Reconnect waits (tests record them instead of waiting). */
  backoff?: ConnectionOptions['backoff'];
  sleep?: ConnectionOptions['sleep'];
  /** How the browser's memory is read (default: /proc) and how often (default: every minute). */
  readMemory?: MemoryReader;
  memoryCheckMs?: number;
  /** How long a send may hang before the client is restarted (default a minute). */
  sendTimeoutMs?: number;
  /** Shows a new QR to whoever runs the process (default: printed in the terminal). */
  showQr?: (qr: string) => void;
}

/** What the coordinators' status page shows. */
export interface WhatsAppWebStatus {
  state: ConnectionState;
  /** The code to scan while `state` is `qr`. */
  qr?: string;
  sending: SendingStatus;
}

/** Who sends: a direct reply (it waits its turn in the queue) or the outbox (it may not wait). */
type Origin = 'reply' | 'outbox';
type Part = { text: string } | { media: MessageMedia; caption?: string };

/**
 * How long replies wait for a client that is starting with a saved session (after a restart of the
 * app or of the browser), rather than being dropped; one that waits for a QR is not waited for.
 */
const STARTING_WAIT_MS = 60_000;
/** How long a memory restart waits for the new client before sends go on (and fail if it is not there). */
const RESTART_TIMEOUT_MS = 120_000;
/** A send that hangs this long (a stuck page) fails, and the client is restarted. */
const SEND_TIMEOUT_MS = 60_000;
/** Replies that could not wait for a connection go first once the outbox can send again. */
const REPLY_PRIORITY = 0;
/** Long menus remembered for "0" (next page); the oldest are forgotten. */
const REMEMBERED_MENUS = 1_000;

const printQr = (qr: string) => qrcodeTerminal.generate(qr, { small: true });

/** Thrown when a send hangs past its time: nothing says whether it went out. */
class SendTimeoutError extends Error {
  constructor(ms: number) {
    super(`whatsapp web send did not finish in ${ms} ms`);
    this.name = 'SendTimeoutError';
  }
}

/**
 * The WhatsApp Web channel (whatsapp-web.js): translates people's messages for the router and sends
 * its replies and the outbox's messages through one paced queue (one message per 3–5 s, a daily cap,
 * a stop switch). Choices become numbered menus; long ones are paged here ("0" shows the next page).
 * The client reconnects by itself and is restarted when its browser grows past the memory bound.
 */
export function createWhatsAppWebAdapter(
  config: NonNullable<Config['whatsappWeb']>,
  deps: WhatsAppWebAdapterDeps,
) {
  const logger = deps.logger.child({ channel: 'whatsapp-web' });
  const clock = deps.clock ?? (() => new Date());
  const { labels } = deps;
  const queue = createSendQueue({ ...config.pacing, random: deps.random });
  const gate = createSendingGate({ db: deps.db, enabled: config.sending, dailyCap: config.dailyCap, clock });
  const sendTimeoutMs = deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  /** Per chat, the last message being received: one person's reach the router in the order they came. */
  const inbound = new Map<string, Promise<void>>();
  const connection = createConnection({
    createClient: () => deps.runtime.createClient(),
    sessionDir: sessionDirOf(config.dataPath),
    logger,
    onMessage: (message) => {
      const chat = message.from;
      const received = (inbound.get(chat) ?? Promise.resolve()).then(() => receive(message));
      inbound.set(chat, received);
      void received.then(() => inbound.get(chat) === received && inbound.delete(chat));
    },
    showQr: deps.showQr ?? printQr,
    backoff: deps.backoff,
    sleep: deps.sleep,
  });
  const media = createWhatsAppWebMediaFetcher(() => connection.readyClient());
  const completeSender = createSenderLookup(() => connection.readyClient());
  const menus = new Map<string, { menu: Menu; page: number; locale: Locale }>();
  /**
   * Per chat, what her typed number answers: whether her step's question numbers choices of its own,
   * and a notice's numbered answers (an invitation's) shown after that question. The notice takes her
   * number only when both hold: on a menu or a choice she picks a line, and the notice's lines are the
   * ones she sees last. On a step that asks her to type (a price, a quantity) a number is the answer
   * she was asked for, even after an invitation came, so it stays her step's; she answers the
   * invitation from "my events", as it says. Kept in memory like the pages: after a restart nothing
   * is known, and her number goes to her step.
   */
  const numberTargets = new Map<string, { stepNumbered: boolean; notice?: Menu }>();
  let stopWatchdog: (() => void) | undefined;

  function rememberMenu(chatId: string, menu: Menu | undefined, locale: Locale) {
    menus.delete(chatId);
    if (!menu) return;
    menus.set(chatId, { menu, page: 0, locale });
    if (menus.size > REMEMBERED_MENUS) menus.delete(menus.keys().next().value as string);
  }

  function rememberTarget(chatId: string, target: { stepNumbered: boolean; notice?: Menu }) {
    numberTargets.delete(chatId);
    numberTargets.set(chatId, target);
    if (numberTargets.size > REMEMBERED_MENUS)
      numberTargets.delete(numberTargets.keys().next().value as string);
  }

  /** Her typed number under a notice's answers: that answer pressed (used once; her step comes next). */
  function pressedNotice(msg: InboundMessage): InboundMessage {
    const { notice } = numberTargets.get(msg.externalUserId) ?? {};
    const choice =
      notice && msg.content.kind === 'text' ? choiceByNumber(msg.content.text, notice.numbered) : undefined;
    if (!choice) return msg;
    rememberTarget(msg.externalUserId, { stepNumbered: true });
    return { ...msg, content: { kind: 'choice', choiceId: choice.id, token: ACTION_TOKEN } };
  }

  /** Restarts a client whose send hung, after the sends queued before the restart. */
  function restartStuck(client: WhatsAppWebClient) {
    logger.error({ timeoutMs: sendTimeoutMs }, 'a whatsapp web send hung; restarting the client');
    queue
      .exclusive(() => connection.restart(RESTART_TIMEOUT_MS, client))
      .catch((err) => logger.error({ err }, 'restarting the stuck whatsapp web client failed'));
  }

  async function sendWithin(client: WhatsAppWebClient, chatId: string, part: Part) {
    const sending =
      'media' in part
        ? client.sendMessage(chatId, part.media, part.caption ? { caption: part.caption } : undefined)
        : client.sendMessage(chatId, part.text);
    const timer = new AbortController();
    const late = delay(sendTimeoutMs, undefined, { signal: timer.signal }).then(() => {
      restartStuck(client);
      throw new SendTimeoutError(sendTimeoutMs);
    });
    try {
      return await Promise.race([sending, late]);
    } finally {
      timer.abort();
    }
  }

  /**
   * One WhatsApp message, in its turn in the queue, if the connection allows it. The first part of
   * a message passes the gate for all its parts (`gateParts`), so the cap or the stop switch never
   * cuts one halfway; `refuseWait` refuses instead of waiting for its turn.
   */
  function sendPart(
    chatId: string,
    part: Part,
    options: { gateParts?: number; refuseWait?: boolean } = {},
  ): Promise<string> {
    return queue.send(async () => {
      if (options.gateParts) await gate.check(options.gateParts);
      const client = connection.readyClient();
      if (!client) throw new SendRefusedError('disconnected', DISCONNECTED_RETRY_MS);
      const sent = await sendWithin(client, chatId, part);
      await gate.sent().catch((err) => logger.error({ err }, 'counting a whatsapp web send failed'));
      return sent.id._serialized;
    }, options.refuseWait);
  }

  async function photoOf(ref: MediaRef): Promise<MessageMedia | undefined> {
    const stored = ref.kind === 'stored' ? await deps.media?.get(ref.mediaId) : undefined;
    if (!stored) {
      logger.warn({ media: ref.kind }, 'photo cannot be sent on whatsapp web; sent its text');
      return undefined;
    }
    return deps.runtime.createMedia(stored.mime, (await readFile(stored.path)).toString('base64'));
  }

  /** Sends one message (a photo with its text as caption when it fits); resolves with the last part's id. */
  async function send(chatId: string, message: OutboundMessage, origin: Origin): Promise<string> {
    const locale = message.locale ?? 'ar';
    const { text, paged } = renderText(message, labels[locale]);
    const photo = message.photo ? await photoOf(message.photo) : undefined;
    const parts: Part[] = !photo
      ? [{ text }]
      : text.length <= CAPTION_LIMIT
        ? [{ media: photo, caption: text }]
        : [{ media: photo }, { text }];
    let lastId = '';
    for (const [i, part] of parts.entries())
      lastId = await sendPart(
        chatId,
        part,
        i === 0 ? { gateParts: parts.length, refuseWait: origin === 'outbox' } : {},
      );
    // A new menu replaces the one "0" would turn; a message without choices leaves it.
    if (message.choices?.length) rememberMenu(chatId, paged, locale);
    const menu = menuOf(message.choices ?? []);
    if (message.choiceToken === ACTION_TOKEN) {
      if (numberTargets.get(chatId)?.stepNumbered)
        rememberTarget(chatId, { stepNumbered: true, notice: menu });
    } else if (origin === 'reply' || message.choices?.length) {
      // A reply, or a step's question that waited in the outbox: her step now, and no notice after it.
      rememberTarget(chatId, { stepNumbered: menu.numbered.length > 0 });
    }
    return lastId;
  }

  /** "0" under a long menu: its next page (the first again after the last). False when none is shown. */
  function turnPage(chatId: string): boolean {
    const shown = menus.get(chatId);
    if (!shown) return false;
    shown.page = (shown.page + 1) % pageCount(shown.menu);
    const text = menuLines(shown.menu, labels[shown.locale], shown.page).join('\n');
    sendPart(chatId, { text }, { gateParts: 1 }).catch((err) =>
      logger.warn({ err }, 'sending a menu page failed'),
    );
    return true;
  }

  /** Never throws: a message that cannot be read or stored is logged, and the next one goes on. */
  async function receive(raw: WhatsAppWebMessage): Promise<void> {
    try {
      const translated = translateMessage(raw, clock());
      if (!translated) return;
      const msg = pressedNotice(await completeSender(raw, translated));
      if (msg.content.kind === 'text' && asksForNextPage(msg.content.text) && turnPage(msg.externalUserId))
        return;
      if (msg.content.kind === 'photo') media.remember(raw);
      const acceptance = await deps.router.accept(msg);
      logger.debug({ duplicate: acceptance.duplicate }, 'whatsapp web message stored');
    } catch (err) {
      // WhatsApp Web delivers a message once: one the inbox could not store is lost, and said so.
      logger.error({ err }, 'a whatsapp web message could not be stored');
    }
  }

  /**
   * Replies that found no connection go to the outbox, ahead of everything else queued there, and
   * are sent once the client is back (in their order: each a millisecond after the one before).
   */
  async function sendLater(chatId: string, messages: OutboundMessage[]): Promise<void> {
    const now = clock().getTime();
    for (const [i, message] of messages.entries())
      await deps.db.outboxMessage.create({
        data: {
          kind: 'reply',
          channel: 'whatsapp-web',
          chatId,
          payload: message as object,
          priority: REPLY_PRIORITY,
          createdAt: new Date(now + i),
        },
      });
    logger.warn({ count: messages.length }, 'whatsapp web is not connected; replies wait in the outbox');
  }

  /**
   * Where the router delivers replies. They wait for a client that is starting or reconnecting; if
   * none is ready in time they go to the outbox. A send refused otherwise (stopped, capped) is logged.
   */
  const sink: ReplySink = {
    async deliver(externalUserId, messages) {
      if (['starting', 'authenticated', 'reconnecting'].includes(connection.state()))
        await connection.whenReady(STARTING_WAIT_MS);
      for (const [i, message] of messages.entries()) {
        try {
          if (!connection.readyClient()) throw new SendRefusedError('disconnected', DISCONNECTED_RETRY_MS);
          await send(externalUserId, message, 'reply');
        } catch (err) {
          if (!(err instanceof SendRefusedError)) throw err;
          if (err.reason === 'disconnected') return sendLater(externalUserId, messages.slice(i));
          logger.warn({ reason: err.reason }, 'whatsapp web replies not sent');
          return;
        }
      }
    },
  };
  deps.router.attach('whatsapp-web', sink);

  return {
    sink,
    /** Downloads the photos people send, for the inbound media resolver. */
    mediaFetcher: media.fetcher,
    /** Sends an outbox message to a chat id; throws SendRefusedError when it may not go now. */
    send: (chatId: string, message: OutboundMessage) => send(chatId, message, 'outbox'),
    /** Whether a client is connected and ready to send. */
    connected: () => connection.readyClient() !== undefined,
    state: () => connection.state(),

    async status(): Promise<WhatsAppWebStatus> {
      const qr = connection.qr();
      return { state: connection.state(), ...(qr ? { qr } : {}), sending: await gate.status() };
    },

    /** Starts the client (it connects, or asks for a QR, in the background) and the memory watchdog. */
    start(): void {
      connection.start();
      stopWatchdog ??= startMemoryWatchdog({
        pid: () => connection.readyClient()?.pupBrowser?.process()?.pid,
        read: deps.readMemory ?? browserMemory,
        maxBytes: config.maxMemoryMb * 1_048_576,
        intervalMs: deps.memoryCheckMs ?? 60_000,
        // In the queue: the message being sent goes out first, and the next waits for the new client.
        onExceeded: () => queue.exclusive(() => connection.restart(RESTART_TIMEOUT_MS)),
        onGone: (pid) => connection.browserGone(pid),
        logger,
      });
    },

    /**
     * The app is shutting down: replies stop waiting for a client that is not ready (they go to the
     * outbox) and none is launched any more. Call it before draining the router.
     */
    closing(): void {
      connection.closing();
    },

    /** Closes the browser (the session stays); call it after the replies in flight went out. */
    async stop(): Promise<void> {
      stopWatchdog?.();
      stopWatchdog = undefined;
      await connection.stop();
    },
  };
}

export type WhatsAppWebAdapter = ReturnType<typeof createWhatsAppWebAdapter>;

/** What a test may put in place of the real library, clock and timers (see `TaawunOptions`). */
export type WhatsAppWebOverrides = Partial<
  Pick<
    WhatsAppWebAdapterDeps,
    'runtime' | 'random' | 'backoff' | 'sleep' | 'readMemory' | 'memoryCheckMs' | 'sendTimeoutMs' | 'showQr'
  >
>;
