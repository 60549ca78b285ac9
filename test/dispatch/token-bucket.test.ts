import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { toSendError } from '../../src/channels/telegram/outbox-sender.js';
import { OutageBreaker } from '../../src/dispatch/channel-pause.js';
import { type ChannelRate, createChannelPacer } from '../../src/dispatch/pacer.js';
import { TokenBucket } from '../../src/dispatch/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then one token every 1/rate seconds, at a rate it can change', () => {
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
    // Half a token saved at 10/s; at 5/s the other half takes 100 ms.
    bucket.retune(5, 10_050);
    expect(bucket.waitMs(10_050)).toBe(100);
  });
});

/** A pacer on a test's clock: sleeping moves the clock, so waits cost no real time. */
function pacerAt(rate: ChannelRate) {
  let now = 0;
  const time = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return { pacer: createChannelPacer(rate, time), now: () => now, advance };
}

describe('channel pacer', () => {
  it('gives a slot only when every bucket allows, and names the one that said no', async () => {
    const { pacer, advance } = pacerAt({ perSecond: 10, perChatPerSecond: 1 });
    expect(await pacer.acquire('notice', 'a', 0)).toEqual({ ok: true });
    expect(pacer.chatWaitMs('a')).toBe(1000);
    advance(100);
    expect(await pacer.acquire('notice', 'a', 0)).toEqual({ ok: false, scope: 'chat', waitMs: 900 });
    expect(await pacer.acquire('bulk', 'b', 0)).toEqual({ ok: true });
    expect(await pacer.acquire('bulk', 'c', 0)).toEqual({ ok: false, scope: 'channel', waitMs: 100 });
    expect(await pacer.acquire('bulk', 'c', 100)).toEqual({ ok: true }); // waits the 100 ms, then goes
  });

  it('has no burst: n sends take (n − 1) / rate seconds, whatever the idle time before', async () => {
    const { pacer, now, advance } = pacerAt({ perSecond: 20 });
    advance(60_000);
    const start = now();
    for (let i = 0; i < 21; i++) await pacer.acquire('bulk', undefined);
    expect(now() - start).toBe(1_000);
  });

  it('lets broadcasts take the whole rate when nothing else is sent, and leave room for what is', async () => {
    const { pacer, now } = pacerAt({ perSecond: 10 });
    for (let i = 0; i < 50; i++) await pacer.acquire('bulk', undefined);
    expect(now()).toBe(4_900); // 10 a second

    // A notice every second: broadcasts leave them 1.25 a second.
    const from = now();
    let broadcasts = 0;
    let notices = 0;
    while (now() < from + 20_000) {
      if (Math.floor((now() - from) / 1000) >= notices) {
        await pacer.acquire('notice', `n${notices}`);
        notices++;
      }
      await pacer.acquire('bulk', undefined);
      broadcasts++;
    }
    expect(notices).toBe(20);
    expect(broadcasts / 20).toBeGreaterThan(8.4);
    expect(broadcasts / 20).toBeLessThan(9);
  });

  it('under heavy replies, broadcasts still take every slot replies leave (their cap stays ≥ 80 %)', async () => {
    const { pacer, now } = pacerAt({ perSecond: 10 });
    let broadcasts = 0;
    let replies = 0;
    // Half the rate in replies (one every 200 ms) for 10 s; broadcasts queued all along.
    while (now() < 10_000) {
      if (now() >= replies * 200) {
        await pacer.acquire('reply', `r${replies}`);
        replies++;
      }
      await pacer.acquire('bulk', undefined);
      broadcasts++;
    }
    expect(replies / 10).toBeCloseTo(5, 0);
    expect((broadcasts + replies) / (now() / 1000)).toBeGreaterThan(9.5);
    expect(broadcasts + replies).toBeLessThanOrEqual(1 + (10 * now()) / 1000); // never over the rate
  });

  it("puts a waiting reply first and does not hold it for its chat; the chat's next row waits a second", async () => {
    const { pacer, now } = pacerAt({ perSecond: 10, perChatPerSecond: 1 });
    await pacer.acquire('bulk', 'x');
    const order: string[] = [];
    const bulk = pacer.acquire('bulk', 'y').then(() => order.push('bulk'));
    const reply = pacer.acquire('reply', 'x').then(() => order.push('reply'));
    await Promise.all([bulk, reply]);
    expect(order).toEqual(['reply', 'bulk']);
    expect(now()).toBe(200);
    // The reply emptied the chat's bucket, without a debt that would hold her next notice back longer.
    expect(pacer.chatWaitMs('x')).toBe(900); // a second after the reply, which went at 100 ms
    for (let i = 0; i < 5; i++) await pacer.acquire('reply', 'x');
    expect(pacer.chatWaitMs('x')).toBe(1_000);
  });

  it('pauses every lane after a 429; a wait longer than allowed takes nothing', async () => {
    const { pacer, now } = pacerAt({ perSecond: 10 });
    pacer.pause(5_000);
    expect(await pacer.acquire('reply', 'a', 1_000)).toEqual({ ok: false, scope: 'channel', waitMs: 5_000 });
    expect(await pacer.acquire('notice', 'a')).toEqual({ ok: true });
    expect(now()).toBe(5_000);
  });

  it("goes rather than hang when its clock does not move (a test's frozen clock)", async () => {
    const pacer = createChannelPacer({ perSecond: 10 }, { now: () => 0, sleep: async () => {} });
    for (let i = 0; i < 3; i++) expect(await pacer.acquire('notice', undefined)).toEqual({ ok: true });
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
