import type { FakeFailure } from './fake-telegram.js';

/** What a fake Bot API allows: sends a second overall and, optionally, to any one chat. */
export interface FakeRateLimits {
  perSecond: number;
  perChatPerSecond?: number;
}

const WINDOW_MS = 1_000;

/**
 * Telegram's flood limits as the fake enforces them: in any sliding second at most `perSecond` sends
 * overall and `perChatPerSecond` to one chat. A send over either is refused with a 429 and the
 * `retry_after` (whole seconds, as Telegram gives it) until it would have been allowed.
 */
export function createFakeRateLimit(limits: FakeRateLimits) {
  const recent: number[] = [];
  const chats = new Map<number, number[]>();
  let refused = 0;

  const wait = (times: number[], allowed: number, now: number) => {
    while (times.length && (times[0] ?? 0) <= now - WINDOW_MS) times.shift();
    return times.length < Math.max(1, Math.floor(allowed)) ? 0 : (times[0] ?? now) + WINDOW_MS - now;
  };

  return {
    /** The 429 for a send to `chatId` now, or undefined (and the send counted) when it is allowed. */
    refuse(chatId: number, now = Date.now()): FakeFailure | undefined {
      const chat = chats.get(chatId) ?? [];
      chats.set(chatId, chat);
      const waitMs = Math.max(
        wait(recent, limits.perSecond, now),
        limits.perChatPerSecond ? wait(chat, limits.perChatPerSecond, now) : 0,
      );
      if (waitMs > 0) {
        refused++;
        const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
        return {
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          retry_after: retryAfter,
        };
      }
      recent.push(now);
      chat.push(now);
      return undefined;
    },
    /** How many sends were refused with a 429 so far. */
    refused: () => refused,
  };
}

export type FakeRateLimit = ReturnType<typeof createFakeRateLimit>;
