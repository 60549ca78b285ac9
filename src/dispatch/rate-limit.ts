import type { Channel } from '../core/message.js';
import { TokenBucket } from './token-bucket.js';

/** How fast one channel may send: messages a second overall and, optionally, to any one chat. */
export interface ChannelRate {
  perSecond: number;
  perChatPerSecond?: number;
}

/** Telegram allows ~30 msg/s overall and 1 msg/s per chat; we keep a margin (DESIGN §7). */
export const DEFAULT_RATES: Partial<Record<Channel, ChannelRate>> = {
  telegram: { perSecond: 25, perChatPerSecond: 1 },
};

/** Rows at this priority or above are broadcasts; they share a smaller bucket so replies stay fast. */
export const BROADCAST_PRIORITY = 10;
/** The share of a channel's rate broadcasts may take (DESIGN §14: RapidPro courier and Glific do this). */
export const BROADCAST_SHARE = 0.8;
/** Chat buckets kept before full (idle) ones are forgotten. */
const MAX_CHAT_BUCKETS = 10_000;

/** Burst of a fifth of a second's rate (at least one): 25/s allows 5 at once, so no second sees more than 30. */
const burstOf = (perSecond: number) => Math.max(1, Math.ceil(perSecond / 5));

/** Why a row must wait, and how long until it could go. */
export type RateDecision =
  | { ok: true }
  | { ok: false; scope: 'channel' | 'broadcast' | 'chat'; waitMs: number };

/**
 * The rate limiter of one channel in this process: an overall bucket, a bucket at 80 % of the rate
 * that broadcasts must also pass, and one bucket per chat. A row goes only when every bucket it
 * needs has a token; tokens are taken from all of them together.
 */
export function createRateLimiter(rate: ChannelRate) {
  const all = new TokenBucket(rate.perSecond, burstOf(rate.perSecond));
  const broadcastRate = rate.perSecond * BROADCAST_SHARE;
  const broadcasts = new TokenBucket(broadcastRate, burstOf(broadcastRate));
  const chats = new Map<string, TokenBucket>();
  const perChat = rate.perChatPerSecond;

  function chatBucket(chat: string, nowMs: number): TokenBucket {
    let bucket = chats.get(chat);
    if (!bucket) {
      if (chats.size >= MAX_CHAT_BUCKETS)
        for (const [key, old] of chats) if (old.isFull(nowMs)) chats.delete(key);
      bucket = new TokenBucket(perChat as number, perChat && perChat > 1 ? burstOf(perChat) : 1);
      chats.set(chat, bucket);
    }
    return bucket;
  }

  return {
    /** Takes a token for a row to `chat` at `priority` if every bucket allows it now. */
    acquire(chat: string | undefined, priority: number, nowMs: number): RateDecision {
      const needed: [TokenBucket, 'channel' | 'broadcast' | 'chat'][] = [[all, 'channel']];
      if (priority >= BROADCAST_PRIORITY) needed.push([broadcasts, 'broadcast']);
      if (chat !== undefined && perChat) needed.push([chatBucket(chat, nowMs), 'chat']);
      for (const [bucket, scope] of needed) {
        const waitMs = bucket.waitMs(nowMs);
        if (waitMs > 0) return { ok: false, scope, waitMs };
      }
      for (const [bucket] of needed) bucket.take(nowMs);
      return { ok: true };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
