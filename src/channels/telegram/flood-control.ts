import { setTimeout as delay } from 'node:timers/promises';
import type { Transformer } from 'grammy';
import type { Logger } from 'pino';

export interface FloodControlOptions {
  /** A longer `retry_after` than this is not waited for: the call fails and the caller decides. */
  maxRetryAfterSeconds: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  logger: Logger;
}

/**
 * An API transformer that honours Telegram's 429 `retry_after` for the whole bot (DESIGN §14):
 * every call waits out the pause before it goes, so parallel sends do not keep hitting the limit
 * (grammY's auto-retry plugin sleeps per request). `getUpdates` is left to the polling loop.
 */
export function floodControl(options: FloodControlOptions): Transformer {
  let pausedUntil = 0;
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    for (let attempt = 1; ; attempt++) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) await delay(wait, undefined, { signal: signal as unknown as AbortSignal | undefined });
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429 || attempt >= options.maxAttempts) return result;
      const retryAfter = result.parameters?.retry_after;
      if (retryAfter === undefined || retryAfter > options.maxRetryAfterSeconds) return result;
      pausedUntil = Math.max(pausedUntil, Date.now() + retryAfter * 1000);
      options.logger.warn({ method, retryAfter, attempt }, 'telegram rate limit: pausing sends');
    }
  };
}
