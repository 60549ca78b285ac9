import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type DispatcherOptions, type OutboxRow } from '../../src/dispatch/dispatcher.js';
import { SendError } from '../../src/dispatch/errors.js';
import { createServices } from '../../src/services/index.js';
import type { OutboxEntry } from '../../src/services/outbox.js';
import { useOutboxTestBed } from '../support/outbox-clock.js';
import { testServiceDeps } from '../support/service-deps.js';

const ADMIN_CHAT = '-100500';
const logger = pino({ level: 'silent' });

const { prisma, clock, advance } = useOutboxTestBed();
const services = () => createServices(prisma(), testServiceDeps({ adminChatId: ADMIN_CHAT, clock }));

/** A sender that records what it was given and fails as scripted (one outcome per send). */
function fakeSender(script: (Error | undefined)[] = []) {
  const rows: OutboxRow[] = [];
  return {
    rows,
    async send(row: OutboxRow) {
      rows.push(row);
      const outcome = script.shift();
      if (outcome) throw outcome;
      return { providerMessageId: `m${rows.length}` };
    },
  };
}

/** A sender whose send waits until `release()`; `entered` resolves once a send began. */
function blockingSender() {
  let release = () => {};
  let entered = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...fakeSender(),
    entered: new Promise<void>((resolve) => {
      entered = resolve;
    }),
    release: () => release(),
    async send() {
      entered();
      await gate;
      return { providerMessageId: 'slow' };
    },
  };
}

/** A dispatcher without rate limits (pacing, pauses and the breaker are tested in pacing.test.ts). */
function dispatcherWith(sender: ReturnType<typeof fakeSender>, options: Partial<DispatcherOptions> = {}) {
  return createDispatcher({
    prisma: prisma(),
    senders: { telegram: sender },
    logger,
    clock,
    rates: {},
    ...options,
  });
}

async function telegramContact(externalId = '501') {
  const contact = await prisma().contact.create({
    data: { channels: { create: { channel: 'telegram', externalId } } },
    include: { channels: true },
  });
  return { contactId: contact.id, contactChannelId: contact.channels[0]?.id as string };
}

async function enqueue(entry: Partial<OutboxEntry> & { contactChannelId?: string }) {
  await services().outbox.enqueue({
    kind: 'notice',
    channel: 'telegram',
    payload: { text: 'مرحبًا' },
    ...entry,
  });
  return prisma().outboxMessage.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
}

const rowOf = (id: string) => prisma().outboxMessage.findUniqueOrThrow({ where: { id } });

describe('outbox dispatcher', () => {
  it('sends a due row once and records SENT with the provider message id', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const sender = fakeSender();
    const dispatcher = dispatcherWith(sender);

    expect(await dispatcher.runOnce()).toBe(1);
    expect(sender.rows[0]?.contactChannel?.externalId).toBe('501');
    expect(sender.rows[0]?.payload).toEqual({ text: 'مرحبًا' });
    const row = await rowOf(queued.id);
    expect(row).toMatchObject({ status: 'SENT', providerMessageId: 'm1', lockedUntil: null, lockedBy: null });
    expect(row.sentAt).toEqual(clock());

    advance(3_600_000);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(sender.rows).toHaveLength(1);
  });

  it('records an AdminPost for a post to the coordinators chat, so replies find its target', async () => {
    await services().notify.toCoordinators({ type: 'cooperative', id: 'coop-1' }, () => ({ text: 'جديد' }), {
      kind: 'admin',
    });
    const sender = fakeSender();
    await dispatcherWith(sender).runOnce();
    expect(sender.rows[0]?.chatId).toBe(ADMIN_CHAT);
    expect(
      await prisma().adminPost.findMany({
        select: { chatId: true, messageId: true, targetType: true, targetId: true },
      }),
    ).toEqual([{ chatId: ADMIN_CHAT, messageId: 'm1', targetType: 'cooperative', targetId: 'coop-1' }]);
  });

  it('skips a row whose time has passed instead of sending it late', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId, expiresAt: new Date(clock().getTime() - 1) });
    const sender = fakeSender();
    expect(await dispatcherWith(sender).runOnce()).toBe(1);
    expect(sender.rows).toHaveLength(0);
    expect(await rowOf(queued.id)).toMatchObject({ status: 'SKIPPED', lastError: 'expired' });
  });

  it('retries a transient failure after the backoff (or retry_after), then sends', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const sender = fakeSender([
      new SendError('transient', 'sendMessage: 502 Bad Gateway'),
      new SendError('transient', 'sendMessage: 429 Too Many Requests', { retryAfterMs: 30_000 }),
    ]);
    const dispatcher = dispatcherWith(sender);

    await dispatcher.runOnce();
    let row = await rowOf(queued.id);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'sendMessage: 502 Bad Gateway' });
    expect(row.notBefore).toEqual(new Date(clock().getTime() + 1_000));
    expect(await dispatcher.runOnce()).toBe(0);

    advance(1_000);
    await dispatcher.runOnce();
    row = await rowOf(queued.id);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 2 });
    expect(row.notBefore).toEqual(new Date(clock().getTime() + 30_000));

    advance(30_000);
    await dispatcher.runOnce();
    expect(await rowOf(queued.id)).toMatchObject({ status: 'SENT', attempts: 2, providerMessageId: 'm3' });
    expect(sender.rows).toHaveLength(3);
  });

  it('gives up after maxAttempts transient failures, unknown errors counting as transient', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const sender = fakeSender([new Error('socket hang up'), new Error('socket hang up'), new Error('again')]);
    const dispatcher = dispatcherWith(sender, { maxAttempts: 3 });
    for (let i = 0; i < 5; i++) {
      await dispatcher.runOnce();
      advance(600_000);
    }
    expect(sender.rows).toHaveLength(3);
    expect(await rowOf(queued.id)).toMatchObject({ status: 'FAILED', attempts: 3 });
  });

  it('fails a permanent error at once', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const sender = fakeSender([new SendError('permanent', 'sendMessage: 400 Bad Request: chat not found')]);
    await dispatcherWith(sender).runOnce();
    expect(await rowOf(queued.id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: 'sendMessage: 400 Bad Request: chat not found',
    });
  });

  it('marks a blocked address unreachable and sends it nothing more', async () => {
    const { contactChannelId } = await telegramContact();
    const first = await enqueue({ contactChannelId, dedupeKey: 'first' });
    const sender = fakeSender([new SendError('unreachable', 'sendMessage: 403 Forbidden: bot was blocked')]);
    const dispatcher = dispatcherWith(sender);
    await dispatcher.runOnce();
    expect(await rowOf(first.id)).toMatchObject({ status: 'FAILED' });
    const address = await prisma().contactChannel.findUniqueOrThrow({ where: { id: contactChannelId } });
    expect(address.unreachable).toBe(true);
    expect(address.unreachableAt).toEqual(clock());

    const second = await enqueue({ contactChannelId, dedupeKey: 'second' });
    await dispatcher.runOnce();
    expect(sender.rows).toHaveLength(1);
    expect(await rowOf(second.id)).toMatchObject({ status: 'SKIPPED', lastError: 'unreachable' });
  });

  it('reclaims a row whose lease ran out (a crash mid-send), but not before', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    await prisma().outboxMessage.update({
      where: { id: queued.id },
      data: {
        status: 'SENDING',
        lockedBy: 'crashed-instance',
        lockedUntil: new Date(clock().getTime() + 60_000),
      },
    });
    const sender = fakeSender();
    const dispatcher = dispatcherWith(sender);
    expect(await dispatcher.runOnce()).toBe(0);
    advance(60_001);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await rowOf(queued.id)).toMatchObject({ status: 'SENT', lockedBy: null });
  });

  it('renews the lease of a slow send, so no other pass reclaims the row meanwhile', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const slow = blockingSender();
    const dispatcher = dispatcherWith(slow, { leaseMs: 40 });
    const sending = dispatcher.runOnce();
    await slow.entered;
    const claimedUntil = (await rowOf(queued.id)).lockedUntil as Date;
    advance(30);
    await new Promise((resolve) => setTimeout(resolve, 100));
    advance(30);
    expect(((await rowOf(queued.id)).lockedUntil as Date) > claimedUntil).toBe(true);
    const other = fakeSender();
    expect(await dispatcherWith(other, { leaseMs: 40 }).runOnce()).toBe(0);
    slow.release();
    await sending;
    expect(other.rows).toHaveLength(0);
    expect(await rowOf(queued.id)).toMatchObject({ status: 'SENT', lockedBy: null });
  });

  it('does not record the outcome of a send whose row another instance took meanwhile', async () => {
    const { contactChannelId } = await telegramContact();
    const queued = await enqueue({ contactChannelId });
    const warnings: { msg: string; outboxId: string; outcome: string }[] = [];
    const slow = blockingSender();
    const dispatcher = dispatcherWith(slow, {
      logger: pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) }),
    });
    const sending = dispatcher.runOnce();
    await slow.entered;
    // The lease ran out (a stalled process) and another instance reclaimed the row.
    const taken = { status: 'SENDING' as const, lockedBy: 'other-instance' };
    await prisma().outboxMessage.update({ where: { id: queued.id }, data: taken });
    slow.release();
    await sending;
    expect(await rowOf(queued.id)).toMatchObject({ ...taken, providerMessageId: null, sentAt: null });
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'outbox row lost its lease during the send',
        outboxId: queued.id,
        outcome: 'SENT',
      }),
    ]);
  });

  it('never sends a row twice when two dispatchers run at once', async () => {
    for (let i = 0; i < 6; i++) {
      const { contactChannelId } = await telegramContact(String(600 + i));
      await enqueue({ contactChannelId });
    }
    const one = fakeSender();
    const two = fakeSender();
    const counts = await Promise.all([dispatcherWith(one).runOnce(), dispatcherWith(two).runOnce()]);
    expect(counts[0] + counts[1]).toBe(6);
    const sentIds = [...one.rows, ...two.rows].map((row) => row.id);
    expect(new Set(sentIds).size).toBe(6);
    expect(sentIds).toHaveLength(6);
  });

  it('queues a message with a dedupe key once, however often it is enqueued', async () => {
    const { contactChannelId } = await telegramContact();
    await enqueue({ contactChannelId, dedupeKey: 'funding-status:f1:ANSWERED' });
    await enqueue({ contactChannelId, dedupeKey: 'funding-status:f1:ANSWERED' });
    expect(await prisma().outboxMessage.count()).toBe(1);
    const sender = fakeSender();
    await dispatcherWith(sender).runOnce();
    expect(sender.rows).toHaveLength(1);
  });

  it('sends the most urgent first, and leaves rows of channels it has no sender for', async () => {
    const { contactChannelId } = await telegramContact();
    const broadcast = await enqueue({ contactChannelId, priority: 10, dedupeKey: 'b' });
    const notice = await enqueue({ contactChannelId, priority: 3, dedupeKey: 'n' });
    const other = await enqueue({ channel: 'whatsapp-cloud', chatId: '970599000000', dedupeKey: 'w' });
    const sender = fakeSender();
    expect(await dispatcherWith(sender).runOnce()).toBe(2);
    expect(sender.rows.map((row) => row.id)).toEqual([notice.id, broadcast.id]);
    expect(await rowOf(other.id)).toMatchObject({ status: 'PENDING' });
  });
});

describe('outbox dispatcher loop', () => {
  it('sends at once when kicked, and stop() waits for the send in flight', async () => {
    const { contactChannelId } = await telegramContact();
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const sending = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const dispatcher = createDispatcher({
      prisma: prisma(),
      logger,
      clock,
      pollMs: 60_000,
      senders: {
        telegram: {
          async send(row) {
            entered();
            await gate;
            sent.push(row.id);
            return { providerMessageId: '77' };
          },
        },
      },
    });
    dispatcher.start();
    const queued = await enqueue({ contactChannelId });
    dispatcher.kick();
    await sending;
    const stopped = dispatcher.stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(sent).toEqual([queued.id]);
    expect(await rowOf(queued.id)).toMatchObject({ status: 'SENT', providerMessageId: '77' });
  });
});
