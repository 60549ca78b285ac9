import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { toSendError } from '../../src/channels/telegram/outbox-sender.js';
import { OutageBreaker } from '../../src/dispatch/channel-pause.js';
import { createRateLimiter } from '../../src/dispatch/rate-limit.js';
import { TokenBucket } from '../../src/dispatch/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then one token every 1/rate seconds', () => {
    const bucket = new TokenBucket(10, 2);
    expect(bucket.waitMs(0)).toBe(0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.waitMs(0)).toBe(100);
    expect(bucket.waitMs(50)).toBe(50);
    expect(bucket.waitMs(100)).toBe(0);
    bucket.take(100);
    expect(bucket.waitMs(100)).toBe(100);
    // Idle time saves up no more than the capacity.
    expect(bucket.isFull(10_000)).toBe(true);
    bucket.take(10_000);
    bucket.take(10_000);
    expect(bucket.waitMs(10_000)).toBe(100);
  });
});

describe('rate limiter', () => {
  it('takes tokens only when every bucket allows, and names the one that said no', () => {
    const limiter = createRateLimiter({ perSecond: 10, perChatPerSecond: 1 });
    expect(limiter.acquire('a', 5, 0)).toEqual({ ok: true });
    expect(limiter.acquire('a', 5, 0)).toEqual({ ok: false, scope: 'chat', waitMs: 1000 });
    expect(limiter.acquire('b', 10, 0)).toEqual({ ok: true });
    expect(limiter.acquire('c', 10, 0)).toEqual({ ok: false, scope: 'channel', waitMs: 100 });
    expect(limiter.acquire('c', 10, 100)).toEqual({ ok: true });
  });

  it('lets broadcasts take at most 80 % of the rate, leaving the rest for notices', () => {
    const limiter = createRateLimiter({ perSecond: 10 });
    let broadcasts = 0;
    let notices = 0;
    for (let t = 0; t < 10_000; t += 10) {
      // A notice every second (a pass tries notices first): each goes at once, though broadcasts wait all along.
      if (t % 1000 === 0) {
        expect(limiter.acquire(undefined, 3, t)).toEqual({ ok: true });
        notices++;
      }
      if (limiter.acquire(undefined, 10, t).ok) broadcasts++;
    }
    expect(broadcasts).toBeGreaterThanOrEqual(78);
    expect(broadcasts).toBeLessThanOrEqual(2 + 80);
    expect(notices).toBe(10);
  });
});

describe('OutageBreaker', () => {
  it('opens after 5 consecutive failures, doubles its pause while probes fail (to 5 min) and closes on a success', () => {
    const breaker = new OutageBreaker();
    for (let i = 0; i < 4; i++) expect(breaker.recordFailure()).toBeUndefined();
    expect(breaker.recordFailure()).toBe(5_000);
    expect(breaker.recordFailure()).toBe(10_000);
    const pauses = Array.from({ length: 8 }, () => breaker.recordFailure());
    expect(pauses.at(-1)).toBe(300_000);
    breaker.recordSuccess();
    for (let i = 0; i < 4; i++) expect(breaker.recordFailure()).toBeUndefined();
    expect(breaker.recordFailure()).toBe(5_000);
  });
});

describe('toSendError', () => {
  it('maps a Bot API 429 to a rate-limited transient error carrying retry_after', () => {
    const err = new GrammyError(
      'Call to sendMessage failed',
      {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
      'sendMessage',
      {},
    );
    expect(toSendError(err)).toMatchObject({ kind: 'transient', rateLimited: true, retryAfterMs: 7_000 });
    const gateway = new GrammyError(
      'failed',
      { ok: false, error_code: 502, description: 'Bad Gateway' },
      'x',
      {},
    );
    expect(toSendError(gateway)).toMatchObject({ kind: 'transient', rateLimited: false });
  });
});
