import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './client.js';

/**
 * Where the connection is: `qr` waits for a coordinator to scan the code; `ready` sends and receives;
 * `reconnecting` waits out a backoff after a disconnect or a failed start.
 */
export type ConnectionState = 'starting' | 'qr' | 'authenticated' | 'ready' | 'reconnecting' | 'stopped';

export interface ConnectionOptions {
  createClient: () => WhatsAppWebClient;
  /** LocalAuth's session folder: removed when WhatsApp refuses the session, so a new QR is asked for. */
  sessionDir: string;
  logger: Logger;
  onMessage: (message: WhatsAppWebMessage) => void;
  /** Shows a new QR to whoever runs the process (the terminal). */
  showQr?: (qr: string) => void;
  /** Waits between reconnects: 5 s, doubling, at most 5 min unless set. */
  backoff?: { firstMs: number; maxMs: number };
  /** Resolves after `ms`, or at once when `signal` aborts (tests record the waits instead). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DEFAULT_BACKOFF = { firstMs: 5_000, maxMs: 300_000 };

const abortableSleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * One WhatsApp Web client at a time, kept connected: a disconnect or a failed start makes a new
 * client after a backoff (5 s doubling to 5 min, reset once ready) on the same LocalAuth session;
 * a refused session is removed first, so the new client shows a QR. A crashed browser or tab counts
 * as a disconnect. Events of a replaced client are ignored.
 */
export function createConnection(options: ConnectionOptions) {
  const { logger } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const sleep = options.sleep ?? abortableSleep;
  let client: WhatsAppWebClient | undefined;
  let state: ConnectionState = 'stopped';
  let qr: string | undefined;
  let failures = 0;
  let stopping = new AbortController();
  /** The app is shutting down: no client is launched or waited for, the ready one still receives. */
  let closing = false;
  const readyWaiters = new Set<(ready: boolean) => void>();
  const over = () => closing || stopping.signal.aborted;

  function setState(next: ConnectionState) {
    state = next;
    if (next !== 'qr') qr = undefined;
    if (next === 'ready') for (const wake of readyWaiters) wake(true);
  }

  function listen(c: WhatsAppWebClient) {
    const current = () => c === client && !stopping.signal.aborted;
    c.on('qr', (code) => {
      if (!current()) return;
      setState('qr');
      qr = code;
      options.showQr?.(code);
      logger.info('whatsapp web needs a QR scan: see the terminal or GET /api/whatsapp-web/qr');
    });
    c.on('authenticated', () => current() && setState('authenticated'));
    c.on('ready', () => {
      if (!current()) return;
      failures = 0;
      setState('ready');
      watchBrowser(c);
      logger.info('whatsapp web is ready');
    });
    c.on('auth_failure', () => {
      if (!current()) return;
      logger.warn('whatsapp web refused the saved session; removing it to ask for a new QR');
      void reconnect(c, true);
    });
    c.on('disconnected', (reason) => {
      if (!current()) return;
      logger.warn({ reason }, 'whatsapp web disconnected');
      void reconnect(c, false);
    });
    c.on('message', (message) => current() && options.onMessage(message));
  }

  /** A crashed Chromium or tab emits no 'disconnected' on the client: the browser and page say it. */
  function watchBrowser(c: WhatsAppWebClient) {
    const lost = (what: string) => (err?: unknown) => {
      if (c !== client || stopping.signal.aborted) return;
      logger.error({ err }, `the whatsapp web ${what}; reconnecting`);
      void reconnect(c, false);
    };
    c.pupBrowser?.on('disconnected', lost('browser is gone'));
    c.pupPage?.on('error', lost('page crashed'));
    c.pupPage?.on('close', lost('page closed'));
  }

  /** Makes and starts a new client; only making it may throw (a failed start reconnects). */
  function launch() {
    const c = options.createClient();
    client = c;
    setState('starting');
    listen(c);
    Promise.resolve()
      .then(() => c.initialize())
      .catch((err) => {
        if (c !== client || stopping.signal.aborted) return;
        logger.error({ err }, 'whatsapp web failed to start');
        void reconnect(c, false);
      });
  }

  /** Launches a new client after the backoff; one that cannot even be made is tried again after the next. */
  async function relaunch(): Promise<void> {
    const { signal } = stopping;
    while (!signal.aborted && !closing && client === undefined) {
      const wait = Math.min(backoff.firstMs * 2 ** failures, backoff.maxMs);
      failures++;
      setState('reconnecting');
      logger.info({ waitMs: wait }, 'whatsapp web reconnects after a pause');
      try {
        await sleep(wait, signal);
        if (signal.aborted || closing || client !== undefined) return;
        launch();
      } catch (err) {
        logger.error({ err }, 'whatsapp web could not make a new client; trying again');
      }
    }
  }

  function launchOrRetry() {
    try {
      launch();
    } catch (err) {
      logger.error({ err }, 'whatsapp web could not make a client; trying again');
      void relaunch();
    }
  }

  /** Replaces client `old` (once, however many events say so) after the backoff; never rejects. */
  async function reconnect(old: WhatsAppWebClient, forgetSession: boolean) {
    if (old !== client) return;
    client = undefined;
    setState('reconnecting');
    try {
      await old
        .destroy()
        .catch((err) => logger.debug({ err }, 'destroying the old whatsapp web client failed'));
      if (forgetSession) await rm(options.sessionDir, { recursive: true, force: true });
    } catch (err) {
      logger.error({ err }, 'removing the refused whatsapp web session failed');
    }
    await relaunch();
  }

  /** Resolves true once the client is ready, false after `timeoutMs` or when stopped. */
  function whenReady(timeoutMs: number): Promise<boolean> {
    if (state === 'ready') return Promise.resolve(true);
    const { signal } = stopping;
    if (over()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        readyWaiters.delete(done);
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        resolve(ready);
      };
      const abort = () => done(false);
      const timer = setTimeout(abort, timeoutMs);
      readyWaiters.add(done);
      signal.addEventListener('abort', abort);
    });
  }

  return {
    state: () => state,
    /** The QR to scan while the state is `qr`. */
    qr: () => qr,
    /** The client, only while it is ready to send. */
    readyClient: () => (state === 'ready' ? client : undefined),
    whenReady,

    start(): void {
      if (client || state === 'reconnecting') return;
      stopping = new AbortController();
      closing = false;
      launchOrRetry();
    },

    /**
     * The browser is gone (the memory watchdog found no process under `pid`): reconnects if that
     * was the ready client's browser.
     */
    browserGone(pid: number): void {
      const c = state === 'ready' ? client : undefined;
      if (!c || c.pupBrowser?.process()?.pid !== pid) return;
      logger.error({ pid }, 'the whatsapp web browser process is gone; reconnecting');
      void reconnect(c, false);
    },

    /**
     * Replaces the ready client (`only` that one, if given) by a new one on the same session (no
     * QR), e.g. when its browser grew too large; resolves once the new one is ready, or after `timeoutMs`.
     */
    async restart(timeoutMs: number, only?: WhatsAppWebClient): Promise<void> {
      const old = client;
      if (!old || state !== 'ready' || (only && only !== old)) return;
      client = undefined;
      setState('starting');
      await old.destroy().catch((err) => logger.warn({ err }, 'destroying the whatsapp web client failed'));
      if (over()) return;
      launchOrRetry();
      await whenReady(timeoutMs);
    },

    /**
     * The app is shutting down: nobody waits for a client any more and none is launched; a ready
     * one still receives until `stop()`.
     */
    closing(): void {
      closing = true;
      for (const wake of readyWaiters) wake(false);
    },

    /** Stops reconnecting and closes the browser; the session stays for the next start. */
    async stop(): Promise<void> {
      stopping.abort();
      const old = client;
      client = undefined;
      setState('stopped');
      await old?.destroy().catch((err) => logger.warn({ err }, 'closing whatsapp web failed'));
    },
  };
}

export type Connection = ReturnType<typeof createConnection>;
