import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import type { InboundMediaResolver } from '../media/inbound.js';
import type { Engine } from './engine.js';
import { markProcessed } from './engine.js';
import { FloodGuard } from './flood-guard.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Channel, InboundMessage, OutboundMessage } from './message.js';

/** Sends replies back on the channel a message came from; each channel adapter provides one. */
export interface ReplySink {
  deliver(externalUserId: string, messages: OutboundMessage[]): Promise<void>;
}

export interface RouterObserver {
  handled(channel: Channel, seconds: number): void;
  failed(channel: Channel, stage: 'engine' | 'delivery'): void;
  /** A message's effects are committed and its replies delivered (the outbox may have new rows). */
  afterHandled?(): void;
}

export interface RouterDeps {
  prisma: Db;
  engine: Engine;
  /**
   * The router's own words in the default language (`engine:apology` when even the engine's apology
   * failed, `engine:slowDown` for a flooding conversation): it does not know the person's language.
   */
  say: (key: 'engine:apology' | 'engine:slowDown') => string;
  /** Messages one conversation may send per minute before they are dropped (default 60). */
  perMinute?: number;
  logger: Logger;
  observer?: RouterObserver;
  /**
   * Stores photos a channel still holds before the engine sees them (outside the conversation's
   * transaction: a download must not hold the database's write lock). Without it they pass as they are.
   */
  media?: InboundMediaResolver;
}

/** `duplicate`: nothing to handle — seen before, or (`flooded`) over the conversation's limit. */
export type Acceptance =
  | { duplicate: true; flooded?: boolean }
  | { duplicate: false; handled: Promise<OutboundMessage[]> };

/**
 * The inbox in front of the engine (DESIGN §14): an update is stored before it is acknowledged,
 * dropped if seen before, handled in order per conversation, and its replies handed to the channel.
 * Unhandled updates left by a crash are handled again by `recover()` on start.
 */
export function createMessageRouter(deps: RouterDeps) {
  const queue = new KeyedQueue();
  const flood = new FloodGuard(deps.perMinute ?? 60, 60_000);
  const sinks = new Map<Channel, ReplySink>();
  const { logger } = deps;

  async function process(eventId: string, inbound: InboundMessage): Promise<OutboundMessage[]> {
    const started = performance.now();
    let msg = inbound;
    let replies: OutboundMessage[];
    try {
      if (deps.media) msg = { ...inbound, content: await deps.media.resolve(inbound.content) };
      replies = await deps.engine.handle(msg, eventId);
    } catch (err) {
      const correlationId = randomUUID();
      logger.error({ err, correlationId, channel: msg.channel, eventId }, 'handling a message failed');
      deps.observer?.failed(msg.channel, 'engine');
      replies = await deps.engine.afterError(msg).catch(() => [{ text: deps.say('engine:apology') }]);
      await markProcessed(deps.prisma, eventId, new Date(), correlationId).catch((e) =>
        logger.error({ err: e, eventId }, 'could not mark a failed message as processed'),
      );
    }
    deps.observer?.handled(msg.channel, (performance.now() - started) / 1000);
    await deliver(msg, replies);
    deps.observer?.afterHandled?.();
    return replies;
  }

  async function deliver(msg: InboundMessage, replies: OutboundMessage[]) {
    const sink = sinks.get(msg.channel);
    if (!sink || replies.length === 0) return;
    try {
      await sink.deliver(msg.externalUserId, replies);
    } catch (err) {
      deps.observer?.failed(msg.channel, 'delivery');
      logger.error({ err, channel: msg.channel }, 'delivering replies failed');
    }
  }

  const keyOf = (msg: InboundMessage) => `${msg.channel}:${msg.externalUserId}`;

  return {
    /** Registers where a channel's replies go. */
    attach(channel: Channel, sink: ReplySink): void {
      sinks.set(channel, sink);
    },

    /** Stores the message (or recognises a redelivery) and queues it; `handled` resolves with its replies. */
    async accept(msg: InboundMessage): Promise<Acceptance> {
      const now = Date.now();
      if (!flood.allow(keyOf(msg), now)) {
        logger.warn({ channel: msg.channel }, 'a conversation is over its message limit; dropping');
        // Not awaited: a slow channel (WhatsApp Web's paced queue) must not hold the next message back.
        if (flood.shouldWarn(keyOf(msg), now))
          void deliver(msg, [{ text: deps.say('engine:slowDown') }]).catch((err) =>
            logger.error({ err, channel: msg.channel }, 'warning a flooding conversation failed'),
          );
        return { duplicate: true, flooded: true };
      }
      // The queue slot is taken now, before the insert finishes, so one conversation's messages are
      // handled in the order they were accepted even when a connection pool finishes inserts out of order.
      const stored = Promise.resolve().then(() =>
        deps.prisma.inboundEvent.create({
          data: {
            channel: msg.channel,
            externalMessageId: msg.externalMessageId,
            payload: serialize(msg),
            receivedAt: msg.receivedAt,
          },
        }),
      );
      const handled = queue.run(keyOf(msg), async () => {
        const row = await stored.catch(() => null);
        return row ? process(row.id, msg) : [];
      });
      try {
        await stored;
      } catch (err) {
        if (isUniqueViolation(err)) return { duplicate: true };
        throw err;
      }
      return { duplicate: false, handled };
    },

    /** Queues every stored but unhandled update, oldest first. */
    async recover(): Promise<number> {
      const pending = await deps.prisma.inboundEvent.findMany({
        where: { processedAt: null },
        orderBy: { receivedAt: 'asc' },
      });
      for (const row of pending) {
        const msg = deserialize(row.payload);
        void queue.run(keyOf(msg), () => process(row.id, msg));
      }
      if (pending.length) logger.info({ count: pending.length }, 'recovering unhandled messages');
      return pending.length;
    },

    /** Waits for every queued message to be handled (graceful shutdown). */
    drain: () => queue.drain(),
  };
}

export type MessageRouter = ReturnType<typeof createMessageRouter>;

function serialize(msg: InboundMessage): object {
  return { ...msg, receivedAt: msg.receivedAt.toISOString() };
}

function deserialize(payload: unknown): InboundMessage {
  const p = payload as InboundMessage & { receivedAt: string };
  return { ...p, receivedAt: new Date(p.receivedAt) };
}
