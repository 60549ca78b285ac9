import type { Broadcast, BroadcastStatus } from '../generated/sqlite/client.js';
import { reportText } from './broadcast-messages.js';
import { BroadcastError, broadcastView } from './broadcast-records.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createOutboxService } from './outbox.js';

/** Statuses of a broadcast whose messages are still going out. */
const UNDER_WAY: BroadcastStatus[] = ['QUEUED', 'SENDING'];
/** `progressMsgId` while a process posts the progress message: `claim:<ms since epoch>`. */
const CLAIM = 'claim:';
/** A claim older than this was left by a process that died posting: another may post it. */
const CLAIM_TTL_MS = 60_000;

/** The progress message's Telegram id, or null while it is not posted (none yet, or a claim). */
export const postedProgressMessage = (progressMsgId: string | null): string | null =>
  progressMsgId && !progressMsgId.startsWith(CLAIM) ? progressMsgId : null;

/**
 * A queued broadcast's life after the queue (DESIGN §6): moved along as its messages go out,
 * finished with a report in the chat it came from, its progress message there claimed by one
 * process. The progress job (src/broadcasts/progress.ts) drives it.
 */
export function createBroadcastLifecycle(db: DbClient, deps: ServiceDeps) {
  const outbox = createOutboxService(db);

  /** The final report in the chat the broadcast was queued from, queued once. */
  async function queueReport(broadcast: Broadcast): Promise<void> {
    const chatId = broadcast.progressChatId;
    const finished = await broadcastView(db, broadcast.id);
    if (!chatId || !finished) return;
    const locale = deps.i18n.defaultLocale;
    await outbox.enqueue({
      kind: 'broadcast-report',
      channel: 'telegram',
      chatId,
      payload: { text: reportText(deps.i18n.translator(locale), finished), locale },
      dedupeKey: `broadcast-report:${broadcast.id}`,
      priority: 4,
    });
  }

  return {
    /**
     * Moves a broadcast along: QUEUED → SENDING once its first message left, → DONE when nothing is
     * left to send (web chat messages wait for their page and do not hold it open), queuing its
     * report. Returns the status after.
     */
    async finishIfDone(id: string, now: Date): Promise<BroadcastStatus> {
      const broadcast = await db.broadcast.findUnique({ where: { id } });
      if (!broadcast) throw new BroadcastError('not_found');
      if (!UNDER_WAY.includes(broadcast.status)) return broadcast.status;
      const where = { broadcastId: id };
      const open = await db.outboxMessage.count({
        where: { ...where, status: { in: ['PENDING', 'SENDING'] }, channel: { not: 'web' } },
      });
      const due = !broadcast.scheduledAt || broadcast.scheduledAt <= now;
      if (open === 0 && due) {
        const { count } = await db.broadcast.updateMany({
          where: { id, status: { in: UNDER_WAY } },
          data: { status: 'DONE' },
        });
        if (count === 1) await queueReport(broadcast);
        return 'DONE';
      }
      if (broadcast.status === 'SENDING') return 'SENDING';
      const started = await db.outboxMessage.count({ where: { ...where, status: { not: 'PENDING' } } });
      if (started === 0) return 'QUEUED';
      await db.broadcast.updateMany({ where: { id, status: 'QUEUED' }, data: { status: 'SENDING' } });
      return 'SENDING';
    },

    /** Broadcasts queued or sending, oldest first: what the progress job follows. */
    inProgress: () =>
      db.broadcast.findMany({
        where: { status: { in: UNDER_WAY } },
        select: { id: true, progressChatId: true, progressMsgId: true },
        orderBy: { createdAt: 'asc' },
      }),

    /**
     * Takes the right to post a broadcast's progress message (one process of several does); false
     * when it has no progress chat, the message is posted already, or another process is posting it.
     * A claim expires, so a process that died between claiming and posting does not leave the chat
     * without a progress message. Compare-and-set on the value read: two claimers, one wins.
     */
    async claimProgressMessage(id: string, now: Date): Promise<boolean> {
      const broadcast = await db.broadcast.findUnique({
        where: { id },
        select: { progressChatId: true, progressMsgId: true },
      });
      const current = broadcast?.progressMsgId ?? null;
      if (!broadcast?.progressChatId || postedProgressMessage(current)) return false;
      const claimedAt = current === null ? Number.NaN : Number(current.slice(CLAIM.length));
      if (now.getTime() - claimedAt < CLAIM_TTL_MS) return false;
      const { count } = await db.broadcast.updateMany({
        where: { id, progressMsgId: current },
        data: { progressMsgId: `${CLAIM}${now.getTime()}` },
      });
      return count === 1;
    },

    /** Records the progress message's id; null gives the claim back (posting it failed). */
    setProgressMessage: (id: string, messageId: string | null) =>
      db.broadcast.update({ where: { id }, data: { progressMsgId: messageId } }),
  };
}
