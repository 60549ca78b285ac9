import { setTimeout as delay } from 'node:timers/promises';
import type { Channel } from '../core/message.js';
import { TokenBucket } from './token-bucket.js';

/** How fast one channel may send: messages a second overall and, optionally, to any one chat. */
export interface ChannelRate {
  perSecond: number;
  perChatPerSecond?: number;
}

/** Telegram allows ~30 msg/s overall and 1 msg/s per chat; we keep a margin (DESIGN §7). */
export const TELEGRAM_RATE: ChannelRate = { perSecond: 25, perChatPerSecond: 1 };
export const DEFAULT_RATES: Partial<Record<Channel, ChannelRate>> = { telegram: TELEGRAM_RATE };

/**
 * What a send is: a direct reply to someone who just wrote (goes first), an outbox notice, or part of a
 * broadcast (outbox rows at BROADCAST_PRIORITY or above).
 */
export type Lane = 'reply' | 'notice' | 'bulk';

/** Rows at this priority or above are broadcasts. */
export const BROADCAST_PRIORITY = 10;
export const laneOf = (priority: number): Lane => (priority >= BROADCAST_PRIORITY ? 'bulk' : 'notice');

/**
 * The least share of the rate broadcasts may always take (DESIGN §14: RapidPro courier and Glific keep
 * bulk sends to ~80 %); they take more while replies and notices leave it unused.
 */
export const BROADCAST_SHARE = 0.8;
/** Replies and notices are counted over this long to size what broadcasts leave them. */
const WATCH_MS = 5_000;
/** Broadcasts leave replies and notices this much more than they have been using. */
const HEADROOM = 1.25;
/** Chat buckets kept before full (idle) ones are forgotten. */
const MAX_CHAT_BUCKETS = 10_000;

/** Why a send must wait, and how long until it could go. */
export type RateDecision =
  | { ok: true }
  | { ok: false; scope: 'channel' | 'broadcast' | 'chat'; waitMs: number };

/** The pacer's time: the clock it reads and how it waits (a test's clock and a sleep that moves it). */
export interface PacerTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_TIME: PacerTime = { now: () => Date.now(), sleep: (ms) => delay(ms) };

/**
 * The pace of one channel in this process, shared by its direct replies and its outbox (DESIGN §7):
 * one overall bucket without burst (so no second ever sees more than the rate), one bucket per chat,
 * and for broadcasts a bucket whose rate is the overall rate less what replies and notices have lately
 * used (never below 80 %). A reply waits only for the overall bucket — it empties its chat's bucket, so
 * the next outbox row to that chat waits a second — and while a reply waits, nothing else goes.
 * A 429 pauses every lane.
 */
export function createChannelPacer(rate: ChannelRate, time: PacerTime = REAL_TIME) {
  const all = new TokenBucket(rate.perSecond, 1);
  // Broadcasts may save up a fifth of a second's share, to take back the slots a reply or notice
  // took; the overall bucket, which has no burst, still holds every second to the rate.
  const broadcasts = new TokenBucket(rate.perSecond, Math.max(1, Math.ceil(rate.perSecond / 5)));
  const chats = new Map<string, TokenBucket>();
  const perChat = rate.perChatPerSecond;
  const interval = Math.ceil(1000 / rate.perSecond);
  /** When each recent reply or notice went, oldest first. */
  const others: number[] = [];
  let repliesWaiting = 0;
  let pausedUntil = 0;

  function chatBucket(chat: string, nowMs: number): TokenBucket {
    let bucket = chats.get(chat);
    if (!bucket) {
      if (chats.size >= MAX_CHAT_BUCKETS)
        for (const [key, old] of chats) if (old.isFull(nowMs)) chats.delete(key);
      bucket = new TokenBucket(perChat as number, 1);
      chats.set(chat, bucket);
    }
    return bucket;
  }

  /** Drops what is older than the watch: kept short on every send, so it stays a few seconds' worth. */
  function forgetOld(nowMs: number): void {
    while (others.length && (others[0] as number) <= nowMs - WATCH_MS) others.shift();
  }

  function broadcastRate(nowMs: number): number {
    forgetOld(nowMs);
    const othersPerSecond = (others.length * 1000) / WATCH_MS;
    const left = rate.perSecond - HEADROOM * othersPerSecond;
    return Math.min(rate.perSecond, Math.max(rate.perSecond * BROADCAST_SHARE, left));
  }

  function blocked(lane: Lane, chat: string | undefined, nowMs: number): RateDecision {
    if (pausedUntil > nowMs) return { ok: false, scope: 'channel', waitMs: pausedUntil - nowMs };
    const buckets: [TokenBucket, 'channel' | 'broadcast' | 'chat'][] = [[all, 'channel']];
    if (lane === 'bulk') {
      broadcasts.retune(broadcastRate(nowMs), nowMs);
      buckets.push([broadcasts, 'broadcast']);
    }
    if (lane !== 'reply' && chat !== undefined && perChat) buckets.push([chatBucket(chat, nowMs), 'chat']);
    for (const [bucket, scope] of buckets) {
      const waitMs = bucket.waitMs(nowMs);
      if (waitMs > 0) return { ok: false, scope, waitMs };
    }
    if (lane !== 'reply' && repliesWaiting > 0) return { ok: false, scope: 'channel', waitMs: interval };
    return { ok: true };
  }

  function take(lane: Lane, chat: string | undefined, nowMs: number): void {
    all.take(nowMs);
    if (lane === 'bulk') broadcasts.take(nowMs);
    else {
      forgetOld(nowMs);
      others.push(nowMs);
    }
    // A reply never waits for its chat: it uses up what the chat saved, and owes nothing, so a
    // conversation of many replies does not hold her next notice back for seconds.
    if (chat !== undefined && perChat) chatBucket(chat, nowMs).take(nowMs, lane === 'reply' ? 0 : undefined);
  }

  return {
    /** How long a send to `chat` must wait for that chat's own rate (0: it may go). */
    chatWaitMs(chat: string, nowMs = time.now()): number {
      return perChat ? chatBucket(chat, nowMs).waitMs(nowMs) : 0;
    },

    /**
     * Waits for a slot in `lane` to `chat` and takes it. When it would have waited more than
     * `maxWaitMs` in all, takes nothing and says how long it still would. A clock that does not move
     * while it sleeps (a test's frozen clock) cannot be waited out: the send goes rather than hang.
     */
    async acquire(lane: Lane, chat: string | undefined, maxWaitMs = Number.POSITIVE_INFINITY) {
      if (lane === 'reply') repliesWaiting++;
      const deadline = time.now() + maxWaitMs;
      try {
        for (;;) {
          const nowMs = time.now();
          const decision = blocked(lane, chat, nowMs);
          if (!decision.ok && nowMs + decision.waitMs > deadline) return decision;
          if (!decision.ok) await time.sleep(decision.waitMs);
          if (decision.ok || time.now() <= nowMs) {
            take(lane, chat, time.now());
            return { ok: true } as RateDecision;
          }
        }
      } finally {
        if (lane === 'reply') repliesWaiting--;
      }
    },

    /** The provider said 429: nothing goes on this channel for `ms`. */
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, time.now() + ms);
    },

    /** How long the channel stays paused after a 429 (0: it is not). */
    pausedMs(): number {
      return Math.max(0, pausedUntil - time.now());
    },
  };
}

export type ChannelPacer = ReturnType<typeof createChannelPacer>;
