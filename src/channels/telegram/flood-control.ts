import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';
import type { Logger } from 'pino';
import type { ChannelPacer, Lane } from '../../dispatch/pacer.js';

export interface FloodControlOptions {
  /** The channel's pace, shared with the outbox dispatcher. */
  pacer: ChannelPacer;
  /** A longer `retry_after` (or pause) than this is not waited for: the call fails and the caller decides. */
  maxRetryAfterSeconds: number;
  /** Attempts per call of a direct reply, the first included. */
  maxAttempts: number;
  logger: Logger;
}

/** An outbox row's send in progress: its lane, and whether the dispatcher already paced its first call. */
interface OutboxCall {
  lane: Lane;
  prepaid: boolean;
}

const outboxCalls = new AsyncLocalStorage<OutboxCall>();

/**
 * Runs the send of an outbox row in `lane`: the dispatcher took the slot of its first call, later
 * calls (the parts of a long message) take theirs in that lane, and a 429 comes back to the
 * dispatcher, which reschedules the row and pauses the channel for every instance.
 */
export function asOutboxSend<T>(lane: Lane, send: () => Promise<T>): Promise<T> {
  return outboxCalls.run({ lane, prepaid: true }, send);
}

/** What Telegram would answer to a call made during a pause: the call is not made. */
const tooManyRequests = (waitMs: number) => {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    ok: false as const,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  };
};

/** The Bot API methods Telegram's flood limits count: those that send or change a message. */
const PACED = /^(send(?!ChatAction)|copyMessage|forwardMessage|editMessage)/;

/**
 * An API transformer that paces every message the bot sends and honours Telegram's 429 `retry_after`
 * (DESIGN §14). Direct replies take the pacer's priority lane, so they go ahead of the outbox and
 * within the same rate; a 429 pauses the pacer for every send of this process, and a reply retries
 * after the pause (grammY's auto-retry plugin would sleep per request instead).
 */
export function floodControl(options: FloodControlOptions): Transformer {
  const { pacer, logger } = options;
  const maxWaitMs = options.maxRetryAfterSeconds * 1000;
  return async (prev, method, payload, signal) => {
    if (!PACED.test(method)) return prev(method, payload, signal);
    const outbox = outboxCalls.getStore();
    const chatId = (payload as { chat_id?: number | string }).chat_id;
    const chat = chatId === undefined ? undefined : String(chatId);
    for (let attempt = 1; ; attempt++) {
      if (outbox?.prepaid) {
        // The dispatcher took this call's slot; a 429 another send got since holds it back all the same.
        outbox.prepaid = false;
        const pausedMs = pacer.pausedMs();
        if (pausedMs > 0) return tooManyRequests(pausedMs);
      } else {
        const slot = await pacer.acquire(outbox?.lane ?? 'reply', chat, maxWaitMs);
        if (!slot.ok) return tooManyRequests(slot.waitMs);
      }
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429) return result;
      const retryAfter = result.parameters?.retry_after;
      if (retryAfter !== undefined) pacer.pause(retryAfter * 1000);
      logger.warn(
        { method, retryAfter, attempt, outbox: Boolean(outbox) },
        'telegram rate limit: pausing sends',
      );
      if (outbox || retryAfter === undefined || retryAfter > options.maxRetryAfterSeconds) return result;
      if (attempt >= options.maxAttempts) return result;
    }
  };
}
