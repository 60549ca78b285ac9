import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type DispatcherOptions, type OutboxRow } from '../../src/dispatch/dispatcher.js';
import { SendError } from '../../src/dispatch/errors.js';
import { useOutboxTestBed } from '../support/outbox-clock.js';

const logger = pino({ level: 'silent' });

const { prisma, clock, advance } = useOutboxTestBed();
const elapsed = (start: Date) => clock().getTime() - start.getTime();

/** A sender that records each row with the (fake) time it was sent, failing as scripted. */
function fakeSender(script: (Error | undefined)[] = []) {
  const sends: { row: OutboxRow; at: number }[] = [];
  return {
    sends,
    script,
    async send(row: OutboxRow) {
      sends.push({ row, at: clock().getTime() });
      const outcome = script.shift();
      if (outcome) throw outcome;
      return { providerMessageId: `m${sends.length}` };
    },
  };
}

function dispatcherWith(sender: ReturnType<typeof fakeSender>, options: Partial<DispatcherOptions> = {}) {
  // Waiting for the next send slot moves the test's clock instead of sleeping.
  const pacerSleep = async (ms: number) => advance(ms);
  return createDispatcher({
    prisma: prisma(),
    senders: { telegram: sender },
    logger,
    clock,
    pacerSleep,
    ...options,
  });
}

/** Queues rows for the coordinators'-style chats `chats` (one row each, in order). */
async function queue(chats: string[], entry: { kind?: string; priority?: number } = {}) {
  for (const chatId of chats)
    await prisma().outboxMessage.create({
      data: {
        kind: entry.kind ?? 'notice',
        priority: entry.priority ?? 5,
        channel: 'telegram',
        chatId,
        payload: {},
      },
    });
}
const chatsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Runs a pass every `stepMs` of fake time until `done()` or `maxSteps`. */
async function drive(
  dispatcher: { runOnce(): Promise<number> },
  stepMs: number,
  done: () => boolean,
  maxSteps = 400,
) {
  for (let i = 0; i < maxSteps && !done(); i++) {
    await dispatcher.runOnce();
    advance(stepMs);
  }
}

const channelState = () => prisma().channelState.findUnique({ where: { channel: 'telegram' } });

describe('dispatcher pacing', () => {
  it('never exceeds the overall rate: at most 1 + rate × t sends in any t seconds, and no slower', async () => {
    await queue(chatsOf('c', 50));
    const sender = fakeSender();
    const dispatcher = dispatcherWith(sender, {
      rates: { telegram: { perSecond: 10, perChatPerSecond: 1 } },
    });
    await drive(dispatcher, 50, () => sender.sends.length === 50);
    expect(sender.sends).toHaveLength(50);
    const times = sender.sends.map((s) => s.at);
    // No burst: the first send, then 10 a second.
    for (let i = 0; i < times.length; i++)
      for (let j = i; j < times.length; j++)
        expect(j - i + 1).toBeLessThanOrEqual(
          1 + (10 * ((times[j] as number) - (times[i] as number))) / 1000 + 1e-9,
        );
    const span = (times.at(-1) as number) - (times[0] as number);
    expect(span).toBeGreaterThanOrEqual(4_900);
    expect(span).toBeLessThanOrEqual(5_100); // and not much slower than allowed
  });

  it('spaces messages to one chat a second apart; the waiting ones stay PENDING', async () => {
    await queue(['same', 'same', 'same', 'other']);
    const sender = fakeSender();
    const dispatcher = dispatcherWith(sender); // the default: Telegram 25/s, 1/s per chat
    const start = clock();
    expect(await dispatcher.runOnce()).toBe(2);
    expect(sender.sends.map((s) => s.row.chatId)).toEqual(['same', 'other']);
    const waiting = await prisma().outboxMessage.findMany({ where: { status: { not: 'SENT' } } });
    expect(waiting).toHaveLength(2);
    for (const row of waiting) {
      expect(row).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(row.notBefore).toEqual(new Date(start.getTime() + 1_000));
    }
    await drive(dispatcher, 100, () => sender.sends.length === 4);
    const same = sender.sends.filter((s) => s.row.chatId === 'same').map((s) => s.at - start.getTime());
    expect(same[0]).toBe(0);
    // A second apart, give or take the 100 ms between the test's passes.
    for (const [i, at] of same.slice(1).entries()) {
      expect(at - (same[i] as number)).toBeGreaterThanOrEqual(1_000);
      expect(at - (same[i] as number)).toBeLessThanOrEqual(1_100);
    }
  });

  it('lets a broadcast alone take the whole rate; notices queued mid-broadcast go next', async () => {
    await queue(chatsOf('b', 100), { kind: 'broadcast', priority: 10 });
    const sender = fakeSender();
    const dispatcher = dispatcherWith(sender, {
      rates: { telegram: { perSecond: 10, perChatPerSecond: 1 } },
    });
    const start = clock();
    await drive(dispatcher, 100, () => elapsed(start) >= 3_000);
    const sent = sender.sends.length;
    expect(sent / (elapsed(start) / 1000)).toBeGreaterThan(9);

    await queue(['n1', 'n2'], { priority: 3 });
    const queuedAt = clock().getTime();
    await drive(dispatcher, 100, () => sender.sends.filter((s) => s.row.kind === 'notice').length === 2, 10);
    const next = sender.sends.slice(sent, sent + 2);
    expect(next.map((s) => s.row.kind)).toEqual(['notice', 'notice']);
    for (const notice of next) expect(notice.at - queuedAt).toBeLessThanOrEqual(200);
  });

  it('the loop sleeps only until the next token, not a whole poll interval', async () => {
    // Real time here: 24 rows at 40/s take ~0.6 s; a 60 s poll would stall after the first pass.
    await queue(chatsOf('r', 24));
    const sender = fakeSender();
    const dispatcher = createDispatcher({
      prisma: prisma(),
      senders: { telegram: sender },
      logger,
      pollMs: 60_000,
      rates: { telegram: { perSecond: 40, perChatPerSecond: 1 } },
    });
    dispatcher.start();
    const deadline = Date.now() + 3_000;
    while (sender.sends.length < 24 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await dispatcher.stop();
    expect(sender.sends).toHaveLength(24);
  });
  it('keeps sends in flight while it waits for the next slot, so a slow network does not slow the rate', async () => {
    // Real time: 40 rows at 40/s, each send 250 ms on the wire — one at a time would take 10 s.
    await queue(chatsOf('w', 40));
    const sends: number[] = [];
    let onWire = 0;
    let mostOnWire = 0;
    const dispatcher = createDispatcher({
      prisma: prisma(),
      logger,
      rates: { telegram: { perSecond: 40, perChatPerSecond: 1 } },
      senders: {
        telegram: {
          async send() {
            mostOnWire = Math.max(mostOnWire, ++onWire);
            await new Promise((resolve) => setTimeout(resolve, 250));
            onWire--;
            sends.push(Date.now());
            return {};
          },
        },
      },
    });
    const start = Date.now();
    dispatcher.start();
    while (sends.length < 40 && Date.now() - start < 8_000) await new Promise((r) => setTimeout(r, 20));
    await dispatcher.stop();
    expect(sends).toHaveLength(40);
    expect(Date.now() - start).toBeLessThan(4_000);
    expect(mostOnWire).toBeLessThanOrEqual(8);
    expect(await prisma().outboxMessage.count({ where: { status: 'SENT' } })).toBe(40);
  });

  it('never claims again a row still on the wire, even when its lease ran out meanwhile', async () => {
    await queue(['slow']);
    let release: () => void = () => {};
    const calls: string[] = [];
    const dispatcher = createDispatcher({
      prisma: prisma(),
      logger,
      clock,
      pollMs: 10,
      leaseMs: 1_000,
      rates: {},
      senders: {
        telegram: {
          async send(row) {
            calls.push(row.id);
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            return {};
          },
        },
      },
    });
    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toHaveLength(1);
    // Its lease runs out while it is being sent (the renewal, on real time, has not come yet).
    advance(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toHaveLength(1);
    release();
    await dispatcher.stop();
    expect(await prisma().outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'SENT', lockedBy: null });
  });
});

describe('dispatcher pauses', () => {
  // One send at a time, so that a pass stops right after the failure a test is about.
  const sequential = { maxInFlight: 1 };
  const tooFast = (retryAfterMs: number) =>
    new SendError('transient', 'sendMessage: 429 Too Many Requests', { retryAfterMs, rateLimited: true });

  it('a 429 pauses the whole channel for retry_after, across instances, without costing an attempt', async () => {
    await queue(['a', 'b', 'c']);
    const sender = fakeSender([tooFast(5_000)]);
    const dispatcher = dispatcherWith(sender, sequential);
    const start = clock();
    await dispatcher.runOnce();
    expect(sender.sends).toHaveLength(1); // the rest of the pass sent nothing
    expect(await channelState()).toMatchObject({
      reason: 'rate-limited',
      pausedUntil: new Date(start.getTime() + 5_000),
    });
    const first = await prisma().outboxMessage.findFirstOrThrow({ where: { chatId: 'a' } });
    expect(first).toMatchObject({ status: 'PENDING', attempts: 0, lockedBy: null });

    advance(4_999);
    const other = fakeSender();
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await dispatcherWith(other, sequential).runOnce()).toBe(0); // another instance honours the pause too
    expect(sender.sends).toHaveLength(1);
    expect(other.sends).toHaveLength(0);

    advance(1);
    expect(await dispatcher.runOnce()).toBe(3);
    expect(sender.sends.map((s) => s.row.chatId)).toEqual(['a', 'a', 'b', 'c']);
    expect(await prisma().outboxMessage.count({ where: { status: 'SENT' } })).toBe(3);
  });

  it('the outage breaker pauses a channel after 5 network failures, backs off while probes fail, and closes on success', async () => {
    await queue(chatsOf('o', 8));
    const down = () => new Error('connect ECONNREFUSED');
    const sender = fakeSender([down(), down(), down(), down(), down(), down()]);
    // No rate limit: only the breaker holds rows back.
    const dispatcher = dispatcherWith(sender, { ...sequential, rates: {} });
    const start = clock();

    await dispatcher.runOnce();
    expect(sender.sends).toHaveLength(5); // the breaker opened: rows 6–8 were not tried
    expect(await channelState()).toMatchObject({
      reason: 'outage',
      pausedUntil: new Date(start.getTime() + 5_000),
    });
    expect(await prisma().outboxMessage.count({ where: { attempts: 0, status: 'PENDING' } })).toBe(3);

    advance(4_999);
    expect(await dispatcher.runOnce()).toBe(0);
    advance(1);
    await dispatcher.runOnce(); // one probe, which fails: pause again, twice as long
    expect(sender.sends).toHaveLength(6);
    expect(await channelState()).toMatchObject({
      reason: 'outage',
      pausedUntil: new Date(clock().getTime() + 10_000),
    });

    advance(10_000);
    await dispatcher.runOnce(); // the network is back: everything goes
    expect(await prisma().outboxMessage.count({ where: { status: 'SENT' } })).toBe(8);

    // Closed again: four failures in a row no longer pause the channel.
    await queue(chatsOf('p', 4));
    sender.script.push(down(), down(), down(), down());
    advance(1_000);
    await dispatcher.runOnce();
    expect((await channelState())?.pausedUntil?.getTime()).toBeLessThanOrEqual(clock().getTime());
    expect(await prisma().outboxMessage.count({ where: { chatId: { startsWith: 'p' }, attempts: 1 } })).toBe(
      4,
    );
  });
});
