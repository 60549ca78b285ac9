import { setTimeout as delay } from 'node:timers/promises';

/**
 * Why a message was not sent at all: sending is off or stopped, the day's cap is reached, no
 * connection, or (for a sender that may not wait) the queue is busy.
 */
export type Refusal = 'off' | 'stopped' | 'capped' | 'disconnected' | 'busy';

/** Thrown instead of sending; `retryAfterMs` says when trying again could succeed. Nothing went out. */
export class SendRefusedError extends Error {
  readonly code = 'WHATSAPP_WEB_SEND_REFUSED';
  constructor(
    readonly reason: Refusal,
    readonly retryAfterMs: number,
  ) {
    super(`whatsapp web sending refused: ${reason}`);
    this.name = 'SendRefusedError';
  }
}

/** Sends refused for want of a connection are tried again after this. */
export const DISCONNECTED_RETRY_MS = 30_000;

export interface PacingOptions {
  /** The least and the most time between two messages; each gap is drawn between them. */
  minDelayMs: number;
  maxDelayMs: number;
  /** 0 ≤ x < 1, for the jitter (tests fix it). */
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The one send queue of the WhatsApp Web number in this process (replies, page turns and the
 * outbox all pass through it): tasks run one at a time, a send never sooner than a jittered
 * 3–5 s (by default) after the previous one, so the number never bursts (bans follow bursts).
 */
export function createSendQueue(options: PacingOptions) {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const { minDelayMs, maxDelayMs } = options;
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  /** When the next send may go: the previous one's time plus a gap drawn then. */
  let nextAt: number | undefined;

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    queued++;
    const result = tail.then(task).finally(() => queued--);
    tail = result.catch(() => undefined);
    return result;
  }

  /** How long a send queued now would wait: its gap, and roughly the longest gap per task before it. */
  function waitMs(): number {
    return Math.max((nextAt ?? 0) - now(), 0) + queued * maxDelayMs;
  }

  return {
    waitMs,

    /**
     * Runs a send after the pacing gap; a refused send (nothing went out) leaves the gap as it was.
     * With `refuseWait` it rejects at once with a `busy` refusal when it would have to wait.
     */
    send<T>(task: () => Promise<T>, refuseWait = false): Promise<T> {
      const wait = waitMs();
      if (refuseWait && wait > 0) return Promise.reject(new SendRefusedError('busy', wait));
      return enqueue(async () => {
        const gap = (nextAt ?? 0) - now();
        if (gap > 0) await sleep(gap);
        const sent = () => {
          nextAt = now() + minDelayMs + random() * (maxDelayMs - minDelayMs);
        };
        try {
          const value = await task();
          sent();
          return value;
        } catch (err) {
          if (!(err instanceof SendRefusedError)) sent();
          throw err;
        }
      });
    },

    /** Runs a task that sends nothing (a client restart) in turn, so no send overlaps it. */
    exclusive: <T>(task: () => Promise<T>): Promise<T> => enqueue(task),
  };
}

export type SendQueue = ReturnType<typeof createSendQueue>;
