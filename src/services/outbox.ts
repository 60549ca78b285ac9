import type { OutboundMessage } from '../core/message.js';
import type { DbClient } from './db.js';

/** What a post in the coordinators' chat is about, so replies to it and presses on it find their target. */
export interface AdminTarget {
  type: string;
  id: string;
}

/** An outbox payload: the message as rendered for its recipient, and for chat posts their target. */
export interface OutboxPayload extends OutboundMessage {
  adminTarget?: AdminTarget;
}

export interface OutboxEntry {
  kind: string;
  channel: string;
  payload: OutboxPayload;
  contactChannelId?: string;
  chatId?: string;
  /** Makes the entry idempotent: a second enqueue with the same key does nothing. */
  dedupeKey?: string;
  priority?: number;
  notBefore?: Date;
  expiresAt?: Date;
}

/**
 * The outbox: everything the bot sends that is not a direct reply is written here, in the same
 * transaction as its cause, and sent by the channel's dispatcher.
 */
export function createOutboxService(db: DbClient) {
  return {
    async enqueue(entry: OutboxEntry): Promise<void> {
      const data = {
        kind: entry.kind,
        channel: entry.channel,
        payload: entry.payload as object,
        contactChannelId: entry.contactChannelId,
        chatId: entry.chatId,
        dedupeKey: entry.dedupeKey,
        priority: entry.priority ?? 5,
        notBefore: entry.notBefore,
        expiresAt: entry.expiresAt,
      };
      // upsert, not create-and-catch: a unique violation would abort a PostgreSQL transaction.
      if (entry.dedupeKey) {
        await db.outboxMessage.upsert({ where: { dedupeKey: entry.dedupeKey }, create: data, update: {} });
      } else {
        await db.outboxMessage.create({ data });
      }
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
