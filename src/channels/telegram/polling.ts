import { setTimeout as delay } from 'node:timers/promises';
import { type Api, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';

/** The updates the bot asks for (`channel_post`: the coalition's channel); the rest is never delivered. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'channel_post'] as const;

/** Timing of the polling loop and of the retries during setup. */
export interface PollingOptions {
  /** Long-poll timeout of getUpdates, in seconds (short in tests). */
  timeoutSeconds: number;
  /** Backoff after a network or storage failure: doubles from min to max. */
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** Production timing: Telegram's usual 25 s long poll, backoff 1 s → 30 s. */
export const DEFAULT_POLLING: PollingOptions = {
  timeoutSeconds: 25,
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
};

/** grammY's Node build types AbortSignal from the `abort-controller` shim; a native signal works the same. */
export type ApiSignal = NonNullable<Parameters<Api['getUpdates']>[1]>;
export const apiSignal = (signal: AbortSignal): ApiSignal => signal as unknown as ApiSignal;

/** What may be logged about a failed call: method and Telegram's answer, never the payload (it holds text). */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof GrammyError)
    return { method: err.method, code: err.error_code, description: err.description };
  if (err instanceof HttpError) return { http: err.message };
  if (!(err instanceof Error)) return { error: String(err) };
  return { error: err.message, ...(err.cause !== undefined ? { cause: describeError(err.cause) } : {}) };
}

/** How long to wait before trying again: Telegram's `retry_after` on a 429, else the backoff. */
function retryDelayMs(err: unknown, backoffMs: number): number {
  const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
  return retryAfter !== undefined ? retryAfter * 1000 : backoffMs;
}

/**
 * Runs `task` until it succeeds, backing off between failures; rejects only when `signal` aborts.
 * Used for the bot's setup, for getUpdates, and for storing an update (which must not be skipped).
 */
export async function retrying<T>(
  task: () => Promise<T>,
  what: string,
  options: PollingOptions,
  logger: Logger,
  signal: AbortSignal,
): Promise<T> {
  let backoff = options.minBackoffMs;
  for (;;) {
    try {
      return await task();
    } catch (err) {
      signal.throwIfAborted();
      const wait = retryDelayMs(err, backoff);
      logger.warn({ ...describeError(err), retryInMs: wait }, `telegram: ${what} failed`);
      await delay(wait, undefined, { signal });
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
    }
  }
}

/**
 * Long polling that loses nothing (DESIGN §14): each update is stored (`ingest`) before the next
 * getUpdates carries an offset past it, which is what confirms it to Telegram. A crash between the
 * two only means a redelivery, which the inbox drops as a duplicate. Returns when `signal` aborts.
 */
export async function pollUpdates(
  api: Api,
  ingest: (update: Update) => Promise<void>,
  options: PollingOptions,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  let offset: number | undefined;
  while (!signal.aborted) {
    const params = { offset, timeout: options.timeoutSeconds, allowed_updates: ALLOWED_UPDATES };
    const updates = await retrying(
      () => api.getUpdates(params, apiSignal(signal)),
      'getUpdates',
      options,
      logger,
      signal,
    );
    for (const update of updates) {
      await retrying(() => ingest(update), 'storing an update', options, logger, signal);
      offset = update.update_id + 1;
    }
  }
}
