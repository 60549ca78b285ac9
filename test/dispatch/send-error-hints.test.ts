import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { OUTAGE_THRESHOLD } from '../../src/dispatch/channel-pause.js';
import { createDispatcher, type OutboxRow } from '../../src/dispatch/dispatcher.js';
import { SendError } from '../../src/dispatch/errors.js';
import { useOutboxTestBed } from '../support/outbox-clock.js';

const logger = pino({ level: 'silent' });
const { prisma, clock, advance } = useOutboxTestBed();

/** A sender that records the rows it was given, failing the chats in `failing` as told. */
function senderFailing(failing: Record<string, () => SendError>) {
  const rows: OutboxRow[] = [];
  return {
    rows,
    async send(row: OutboxRow) {
      rows.push(row);
      const fail = failing[row.chatId ?? ''];
      if (fail) throw fail();
      return { providerMessageId: `m${rows.length}` };
    },
  };
}

// One send at a time, so that a pass stops right after the failure a test is about.
const dispatcherWith = (sender: ReturnType<typeof senderFailing>) =>
  createDispatcher({
    prisma: prisma(),
    senders: { telegram: sender },
    logger,
    clock,
    rates: {},
    maxInFlight: 1,
  });

async function queue(chatId: string, payload: object = { text: 'x' }) {
  return prisma().outboxMessage.create({ data: { kind: 'notice', channel: 'telegram', chatId, payload } });
}
const rowOf = (id: string) => prisma().outboxMessage.findUniqueOrThrow({ where: { id } });
const channelState = () => prisma().channelState.findUnique({ where: { channel: 'telegram' } });

describe('what a SendError tells the dispatcher', () => {
  it('a chat-scoped rate limit delays that row only: no attempt, no pause, no outage', async () => {
    const slow = () =>
      new SendError('transient', '131056 pair rate limit', {
        rateLimited: true,
        scope: 'chat',
        retryAfterMs: 60_000,
      });
    const limited = await Promise.all(
      Array.from({ length: OUTAGE_THRESHOLD + 1 }, (_, i) => queue(`busy${i}`)),
    );
    const other = await queue('quiet');
    const sender = senderFailing(Object.fromEntries(limited.map((row) => [row.chatId, slow])));
    const dispatcher = dispatcherWith(sender);
    const start = clock();

    await dispatcher.runOnce();
    expect(sender.rows.map((r) => r.chatId)).toContain('quiet');
    expect((await rowOf(other.id)).status).toBe('SENT');
    for (const { id } of limited) {
      const row = await rowOf(id);
      expect(row).toMatchObject({ status: 'PENDING', attempts: 0, lastError: '131056 pair rate limit' });
      expect(row.notBefore.getTime()).toBe(start.getTime() + 60_000);
    }
    // Six failures in a row, yet the channel is neither paused nor counted as down.
    expect(await channelState()).toBeNull();
    const late = await queue('late');
    await dispatcher.runOnce();
    expect((await rowOf(late.id)).status).toBe('SENT');

    // Not due before its minute is up.
    const tried = sender.rows.length;
    advance(59_000);
    await dispatcher.runOnce();
    expect(sender.rows).toHaveLength(tried);
    advance(1_000);
    await dispatcher.runOnce();
    expect(sender.rows.length).toBeGreaterThan(tried);
  });

  it('a refusal of our account pauses the channel for its time, reason account, costing no attempt', async () => {
    const refused = () =>
      new SendError('transient', '131042 payment issue', { account: true, retryAfterMs: 600_000 });
    const first = await queue('a');
    const second = await queue('b');
    const sender = senderFailing({ a: refused });
    const dispatcher = dispatcherWith(sender);
    const start = clock();

    await dispatcher.runOnce();
    expect(sender.rows.map((r) => r.chatId)).toEqual(['a']);
    expect(await rowOf(first.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect((await rowOf(second.id)).status).toBe('PENDING');
    expect(await channelState()).toMatchObject({
      reason: 'account',
      pausedUntil: new Date(start.getTime() + 600_000),
    });
    advance(599_000);
    await dispatcher.runOnce();
    expect(sender.rows).toHaveLength(1);
  });

  it('keeps how many parts went in the payload, so the next attempt resumes after them', async () => {
    const row = await queue('a', { text: 'طويل', locale: 'ar' });
    let failures = 1;
    const sender = {
      rows: [] as OutboxRow[],
      async send(sent: OutboxRow) {
        sender.rows.push(sent);
        if (failures-- > 0) throw new SendError('transient', 'graph 500', { partsSent: 2 });
        return { providerMessageId: 'm' };
      },
    };
    const dispatcher = createDispatcher({ prisma: prisma(), senders: { telegram: sender }, logger, clock });
    await dispatcher.runOnce();
    expect(await rowOf(row.id)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      payload: { text: 'طويل', locale: 'ar', partsSent: 2 },
    });
    advance(1_000);
    await dispatcher.runOnce();
    expect(sender.rows[1]?.payload).toMatchObject({ partsSent: 2 });
    expect((await rowOf(row.id)).status).toBe('SENT');
  });
});
