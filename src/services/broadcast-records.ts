import type { BroadcastStatus } from '../generated/sqlite/client.js';
import { type Audience, readAudience } from './broadcast-audience.js';
import { type BroadcastCounts, type BroadcastText, readText } from './broadcast-messages.js';
import type { DbClient } from './db.js';

/** Why a broadcast action was refused; each has its words in `broadcasts:errors.*`. */
export type BroadcastErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'not_draft'
  | 'finished'
  | 'no_audience'
  | 'no_recipients'
  | 'unknown_cooperative'
  | 'invalid_text';

/** A refusal of the broadcast service: the caller's transaction is meant to roll back. */
export class BroadcastError extends Error {
  constructor(readonly code: BroadcastErrorCode) {
    super(`broadcast: ${code}`);
    this.name = 'BroadcastError';
  }
}

/** A broadcast with what became of its messages. */
export interface BroadcastView {
  id: string;
  kind: string;
  status: BroadcastStatus;
  text: BroadcastText;
  /** Null while a draft has no audience yet. */
  audience: Audience | null;
  mediaId: string | null;
  scheduledAt: Date | null;
  createdAt: Date;
  progressChatId: string | null;
  progressMsgId: string | null;
  counts: BroadcastCounts;
}

/** Counts of a broadcast's outbox rows by status. */
export async function broadcastCounts(db: DbClient, broadcastId: string): Promise<BroadcastCounts> {
  const groups = await db.outboxMessage.groupBy({
    by: ['status'],
    where: { broadcastId },
    _count: { _all: true },
  });
  const of = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
  const web = await db.outboxMessage.count({ where: { broadcastId, channel: 'web', status: 'PENDING' } });
  const pending = of('PENDING') + of('SENDING');
  const [sent, failed, skipped] = [of('SENT'), of('FAILED'), of('SKIPPED')];
  return { pending, sent, failed, skipped, total: pending + sent + failed + skipped, web };
}

/** A broadcast with its counts, or null. */
export async function broadcastView(db: DbClient, id: string): Promise<BroadcastView | null> {
  const b = await db.broadcast.findUnique({ where: { id } });
  if (!b) return null;
  return {
    id: b.id,
    kind: b.kind,
    status: b.status,
    text: readText(b.text),
    audience: readAudience(b.audience),
    mediaId: b.mediaId,
    scheduledAt: b.scheduledAt,
    createdAt: b.createdAt,
    progressChatId: b.progressChatId,
    progressMsgId: b.progressMsgId,
    counts: await broadcastCounts(db, b.id),
  };
}
