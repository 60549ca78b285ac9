import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { rememberAdminPost } from '../admin-chat/posts.js';
import type { Channel } from '../core/message.js';
import type { Db } from '../db/client.js';
import type { ContactChannel, OutboxMessage, Prisma } from '../generated/sqlite/client.js';
import type { OutboxPayload } from '../services/outbox.js';
import type { ChannelLocks } from './channel-lock.js';
import { OutageBreaker, type PauseReason, pauseChannel, pausedChannels } from './channel-pause.js';
import { SendError } from './errors.js';
import {
  type ChannelPacer,
  type ChannelRate,
  createChannelPacer,
  DEFAULT_RATES,
  laneOf,
  type PacerTime,
} from './pacer.js';

/** An outbox row as a sender receives it: with its recipient's address, if it has one. */
export type OutboxRow = OutboxMessage & { contactChannel: ContactChannel | null };

/**
 * Sends one outbox row on one channel. It returns the provider's id of the (last) message sent and
 * throws a SendError to say how a failure should be handled.
 */
export interface OutboxSender {
  send(row: OutboxRow): Promise<{ providerMessageId?: string }>;
  /** Sends of this channel a pass may have in flight at once (default: the dispatcher's `maxInFlight`). */
  maxInFlight?: number;
}

export interface DispatcherOptions {
  prisma: Db;
  /** Rows of a channel without a sender stay PENDING (the channel is off in this process). */
  senders: Partial<Record<Channel, OutboxSender>>;
  logger: Logger;
  clock?: () => Date;
  /** How long the loop sleeps when nothing is due (a `kick()` wakes it earlier). */
  pollMs?: number;
  /** Rows claimed per pass at most. */
  batchSize?: number;
  /**
   * How long a claimed row belongs to this process (default 60 s); renewed while its send is in
   * flight, so only a process that died (or stalled past it) loses the row to another pass.
   */
  leaseMs?: number;
  /**
   * Sends of one channel a pass may have in flight at once (default 8): the next row's slot is waited
   * for while earlier sends are on the wire, so a slow network does not slow the rate.
   */
  maxInFlight?: number;
  /** Sends tried before a row that keeps failing transiently is given up (FAILED). */
  maxAttempts?: number;
  /** Send rate per channel (default DEFAULT_RATES: Telegram 25/s, 1/s per chat); a channel without one is not limited. */
  rates?: Partial<Record<Channel, ChannelRate>>;
  /**
   * Pacers shared with the channels' direct replies (the composition root makes them), used instead
   * of the ones `rates` would make, so replies and the outbox keep one rate together.
   */
  pacers?: Partial<Record<Channel, ChannelPacer>>;
  /** How pacers made from `rates` wait (default: real sleeps on the dispatcher's clock). */
  pacerSleep?: PacerTime['sleep'];
  /**
   * On PostgreSQL, where several instances may run: this process sends on a channel only while it
   * holds the channel's lock, so one rate limiter paces it (createPgChannelLocks). Released on stop().
   */
  locks?: ChannelLocks;
}

/** What a pass reads of a due row to decide, before claiming it, whether it may go now. */
const CANDIDATE = {
  id: true,
  channel: true,
  chatId: true,
  priority: true,
  expiresAt: true,
  contactChannel: { select: { externalId: true, unreachable: true } },
} satisfies Prisma.OutboxMessageSelect;
type Candidate = Prisma.OutboxMessageGetPayload<{ select: typeof CANDIDATE }>;

/** Wait before retry number `attempts + 1`: 1 s, 2 s, 4 s … at most 5 min. */
const backoffMs = (attempts: number) => Math.min(1_000 * 2 ** Math.max(attempts - 1, 0), 300_000);
const ERROR_LIMIT = 500;
/** The payload with the parts already sent kept in it, when a multi-part send failed part-way. */
const progress = (row: OutboxRow, error: SendError): Prisma.OutboxMessageUpdateManyMutationInput =>
  error.partsSent ? { payload: { ...(row.payload as Prisma.JsonObject), partsSent: error.partsSent } } : {};
/** A pass waits this long at most for the channel's next slot; a longer wait ends its turn. */
const PASS_WAIT_MS = 1_000;
/** A row no process holds any more. */
const RELEASED = { lockedUntil: null, lockedBy: null };

/** Due to be sent at `now`: waiting, or claimed by a process whose lease ran out (it crashed). */
const due = (now: Date): Prisma.OutboxMessageWhereInput => ({
  notBefore: { lte: now },
  OR: [{ status: 'PENDING' }, { status: 'SENDING', lockedUntil: { lt: now } }],
});

/**
 * The outbox dispatcher (DESIGN §7): claims due rows with a lease through a conditional update (so
 * two passes or two processes never both take a row), sends each through its channel's sender and
 * records the outcome. Expired rows are skipped, blocked addresses marked unreachable, transient
 * failures retried with backoff. A row marked SENT is never claimed again; one in flight at a crash
 * is reclaimed when its lease runs out, so it may be sent at most once more.
 *
 * Each channel sends at its rate through its pacer, shared with the channel's direct replies (which go
 * first; broadcasts take what replies and notices leave, at least 80 %); a row over its chat's rate
 * waits. A pass keeps several sends in flight while it waits for the next slot. A 429 pauses the whole channel (ChannelState, read by every instance before a pass)
 * without costing the row an attempt (a limit on one recipient only delays that row), as does a refusal
 * of our account; a run of network failures opens the outage breaker, which pauses the channel with
 * backoff instead of burning every row's attempts. A multi-part send that failed part-way keeps
 * `partsSent` in the payload, so the retry resumes after them.
 *
 * Only the process still holding a row's lease records its outcome. With several instances on
 * PostgreSQL, `locks` lets one at a time send on each channel, so the channel's rate holds overall.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { prisma, senders, locks } = options;
  const logger = options.logger.child({ component: 'dispatcher' });
  const clock = options.clock ?? (() => new Date());
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxInFlight = options.maxInFlight ?? 8;
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const channels = Object.keys(senders);
  const rates = options.rates ?? DEFAULT_RATES;
  const pacerTime: PacerTime = {
    now: () => clock().getTime(),
    sleep: options.pacerSleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const pacers = new Map<string, ChannelPacer>();
  const breakers = new Map<string, OutageBreaker>();
  for (const channel of channels) {
    const rate = rates[channel as Channel];
    const pacer = options.pacers?.[channel as Channel] ?? (rate && createChannelPacer(rate, pacerTime));
    if (pacer) pacers.set(channel, pacer);
    breakers.set(channel, new OutageBreaker());
  }
  /** Channels paused as this pass knows it (read at its start, updated on a 429 or an outage). */
  let paused = new Map<string, Date>();
  /** Pauses this process wrote since the last pass began (the database may not have them yet). */
  const ownPauses = new Map<string, Date>();
  /** How soon a rate- or pause-limited row could go: the loop sleeps no longer than this. */
  let retryInMs: number | undefined;
  const wakeIn = (ms: number) => {
    retryInMs = Math.max(1, Math.min(retryInMs ?? ms, ms));
  };

  async function pause(channel: string, ms: number, reason: PauseReason): Promise<void> {
    const until = new Date(clock().getTime() + ms);
    paused.set(channel, until);
    ownPauses.set(channel, until);
    await pauseChannel(prisma, channel, until, reason);
    // Our account refused (payment, lock, token): nothing resumes until someone fixes it.
    logger[reason === 'account' ? 'error' : 'warn'](
      { channel, reason, pausedUntil: until },
      'channel paused',
    );
  }

  /** Takes the row for this process if it is still due; false when someone else was quicker. */
  async function claim(id: string, now: Date): Promise<boolean> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id, ...due(now) },
      data: { status: 'SENDING', lockedUntil: new Date(now.getTime() + leaseMs), lockedBy: owner },
    });
    return count === 1;
  }

  /** Only the holder of a row's lease may record its outcome: the row as this process still holds it. */
  const held = (id: string) => ({ id, lockedBy: owner, status: 'SENDING' as const });

  /**
   * A send that outlived its lease may find the row reclaimed by another pass or instance (which may
   * send it again): its outcome is not ours to record any more.
   */
  function lost(row: OutboxRow, outcome: string): void {
    logger.warn(
      { outboxId: row.id, channel: row.channel, outcome },
      'outbox row lost its lease during the send',
    );
  }

  async function finish(row: OutboxRow, data: Prisma.OutboxMessageUpdateManyMutationInput): Promise<void> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: held(row.id),
      data: { ...RELEASED, ...data },
    });
    if (count === 0) lost(row, String(data.status));
  }

  /**
   * Keeps the lease of a row while its send is in flight (a slow upload, a paced WhatsApp Web send),
   * renewing it every half lease, so no other pass reclaims a row that is still being sent.
   */
  async function leased<T>(row: OutboxRow, work: () => Promise<T>): Promise<T> {
    const renew = setInterval(() => {
      prisma.outboxMessage
        .updateMany({ where: held(row.id), data: { lockedUntil: new Date(clock().getTime() + leaseMs) } })
        .catch((err) => logger.warn({ err, outboxId: row.id }, 'could not renew an outbox lease'));
    }, leaseMs / 2);
    try {
      return await work();
    } finally {
      clearInterval(renew);
    }
  }

  /** SENT, and for a post in the coordinators' chat the AdminPost that lets replies find its target. */
  async function markSent(row: OutboxRow, providerMessageId: string | undefined): Promise<void> {
    const target = (row.payload as OutboxPayload | null)?.adminTarget;
    const chatId = row.chatId ?? row.contactChannel?.externalId;
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.outboxMessage.updateMany({
        where: held(row.id),
        data: { status: 'SENT', sentAt: clock(), providerMessageId, ...RELEASED },
      });
      if (count === 0) return lost(row, 'SENT');
      if (target && providerMessageId && chatId)
        await rememberAdminPost(tx, { chatId, messageId: providerMessageId }, target);
    });
  }

  async function markFailed(row: OutboxRow, err: unknown): Promise<void> {
    const error = err instanceof SendError ? err : new SendError('transient', String(err), { cause: err });
    const now = clock();
    const attempts = row.attempts + 1;
    const lastError = error.message.slice(0, ERROR_LIMIT);
    if (error.kind === 'skipped') {
      logger.info({ outboxId: row.id, channel: row.channel, reason: lastError }, 'outbox message skipped');
      return finish(row, { status: 'SKIPPED', lastError });
    }
    const log = { outboxId: row.id, channel: row.channel, kind: error.kind, attempts };
    logger.warn(log, 'outbox send failed');
    // Neither a rate limit nor our account is the row's fault: it keeps its attempts.
    if (error.rateLimited && error.scope === 'chat') {
      const notBefore = new Date(now.getTime() + (error.retryAfterMs ?? 1_000));
      return finish(row, { status: 'PENDING', lastError, notBefore, ...progress(row, error) });
    }
    if (error.rateLimited || error.account) {
      await pause(row.channel, error.retryAfterMs ?? 1_000, error.account ? 'account' : 'rate-limited');
      return finish(row, { status: 'PENDING', lastError, ...progress(row, error) });
    }
    if (error.kind === 'transient') {
      const outageMs = breakers.get(row.channel)?.recordFailure();
      if (outageMs !== undefined) await pause(row.channel, outageMs, 'outage');
    }
    if (error.kind === 'transient' && attempts < maxAttempts) {
      const wait = error.retryAfterMs ?? backoffMs(attempts);
      await finish(row, {
        status: 'PENDING',
        attempts,
        lastError,
        notBefore: new Date(now.getTime() + wait),
        ...progress(row, error),
      });
      return;
    }
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.outboxMessage.updateMany({
        where: held(row.id),
        data: { status: 'FAILED', attempts, lastError, ...RELEASED },
      });
      if (count === 0) return lost(row, 'FAILED');
      if (error.kind === 'unreachable' && row.contactChannelId)
        await tx.contactChannel.update({
          where: { id: row.contactChannelId },
          data: { unreachable: true, unreachableAt: now },
        });
    });
  }

  /** Sends one claimed row and records what happened; a stale or blocked one is skipped unsent. */
  async function deliver(row: OutboxRow, sender: OutboxSender, now: Date): Promise<void> {
    if (row.expiresAt && row.expiresAt <= now)
      return finish(row, { status: 'SKIPPED', lastError: 'expired' });
    if (row.contactChannel?.unreachable) return finish(row, { status: 'SKIPPED', lastError: 'unreachable' });
    let providerMessageId: string | undefined;
    try {
      ({ providerMessageId } = await leased(row, () => sender.send(row)));
    } catch (err) {
      return markFailed(row, err);
    }
    breakers.get(row.channel)?.recordSuccess();
    await markSent(row, providerMessageId);
    logger.debug({ outboxId: row.id, channel: row.channel, kind: row.kind }, 'outbox message sent');
  }

  /**
   * Takes a rate slot for the row, waiting for it when it comes within `PASS_WAIT_MS`. A row over its
   * chat's rate waits without holding up the pass (its `notBefore` moves to when it may go; it stays
   * PENDING); one that would wait longer for the channel waits for a later pass. A row that will be
   * skipped unsent costs no slot.
   */
  async function admit(row: Candidate, now: Date): Promise<boolean> {
    const pacer = pacers.get(row.channel);
    if (!pacer || (row.expiresAt && row.expiresAt <= now) || row.contactChannel?.unreachable) return true;
    const chat = row.chatId ?? row.contactChannel?.externalId ?? undefined;
    const chatWaitMs = chat === undefined ? 0 : pacer.chatWaitMs(chat);
    if (chatWaitMs > 0) {
      await prisma.outboxMessage.updateMany({
        where: { id: row.id, status: 'PENDING' },
        data: { notBefore: new Date(now.getTime() + chatWaitMs) },
      });
      return false;
    }
    const decision = await pacer.acquire(laneOf(row.priority), chat, PASS_WAIT_MS);
    if (!decision.ok) wakeIn(decision.waitMs);
    return decision.ok;
  }

  let stopping = false;

  /** Sends on the wire, by channel: they outlive the pass that started them, up to a channel's cap. */
  const wires = new Map<string, Set<Promise<void>>>();
  /** The ids of the rows on the wire. */
  const sending = new Set<string>();
  const settled = () => Promise.all([...wires.values()].flatMap((wire) => [...wire]));

  /**
   * One pass: claims up to `batchSize` due rows, most urgent first, and starts their sends; returns
   * how many. Sends still on the wire when it ends go on while the next pass claims more.
   */
  async function pass(): Promise<number> {
    retryInMs = undefined;
    if (!channels.length) return 0;
    const now = clock();
    paused = await pausedChannels(prisma, channels, now);
    // A pause a send still on the wire wrote may not be in the database yet: it stands all the same.
    for (const [channel, until] of ownPauses)
      if (until > now && !((paused.get(channel) ?? 0) >= until)) paused.set(channel, until);
    ownPauses.clear();
    for (const until of paused.values()) wakeIn(until.getTime() - now.getTime());
    const unpaused = channels.filter((channel) => !paused.has(channel));
    const open = locks ? [...(await locks.acquire(unpaused))] : unpaused;
    if (!open.length) return 0;
    const candidates = await prisma.outboxMessage.findMany({
      where: { channel: { in: open }, ...due(now) },
      orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }],
      take: batchSize,
      select: CANDIDATE,
    });
    let handled = 0;
    // A lock lost during the pass (its connection dropped) stops this process sending at once.
    const mayGo = (channel: string) => !stopping && (!locks || locks.holds(channel));
    for (const candidate of candidates) {
      const { id } = candidate;
      if (stopping) break;
      // Still on the wire from an earlier pass, its lease run out meanwhile: it is not due again.
      if (sending.has(id) || !mayGo(candidate.channel)) continue;
      const sender = senders[candidate.channel as Channel];
      const wire = wires.get(candidate.channel) ?? new Set<Promise<void>>();
      wires.set(candidate.channel, wire);
      // A full wire first makes room, so that a slot is not taken for a send that cannot start.
      while (sender && wire.size >= (sender.maxInFlight ?? maxInFlight)) await Promise.race(wire);
      if (paused.has(candidate.channel) || !(await admit(candidate, clock()))) continue;
      // Waiting may have taken a while: checked again, and the lease runs from now.
      if (!mayGo(candidate.channel) || !(await claim(id, clock()))) continue;
      const row = await prisma.outboxMessage.findUniqueOrThrow({
        where: { id },
        include: { contactChannel: true },
      });
      handled++;
      if (!sender) continue;
      // An outcome that could not be recorded leaves the row SENDING: its lease runs out and it goes again.
      const send: Promise<void> = deliver(row, sender, clock())
        .catch((err) => logger.error({ err, outboxId: id }, 'an outbox outcome could not be recorded'))
        .finally(() => {
          wire.delete(send);
          sending.delete(id);
        });
      wire.add(send);
      sending.add(id);
    }
    return handled;
  }

  /** One pass, and its sends recorded: returns how many rows it handled. */
  async function runOnce(): Promise<number> {
    const handled = await pass();
    await settled();
    return handled;
  }

  let running: Promise<void> | undefined;
  let kicked = false;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  async function loop(): Promise<void> {
    while (!stopping) {
      kicked = false;
      let handled = 0;
      try {
        handled = await pass();
      } catch (err) {
        logger.error({ err }, 'an outbox pass failed');
      }
      if (!stopping && !kicked && handled < batchSize) await sleep(Math.min(pollMs, retryInMs ?? pollMs));
    }
  }

  return {
    /** Starts the loop in the background: a pass, then a pass every `pollMs` (sooner after a kick). */
    start(): void {
      if (running) return;
      stopping = false;
      running = loop();
    },

    /** Stops the loop once the send in flight is recorded, and lets the channel locks go. */
    async stop(): Promise<void> {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      await settled();
      await locks?.release();
    },

    /** Something was queued: run a pass now instead of at the next poll. */
    kick(): void {
      kicked = true;
      wake?.();
    },

    runOnce,
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
