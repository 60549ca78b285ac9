import type { OutboundMessage } from '../../core/message.js';
import type { Db } from '../../db/client.js';

const BATCH = 20;

/**
 * The web chat's outbox is pulled, not pushed: a page collects its session's due rows when it posts
 * or polls, and each row is marked sent as it is handed over. Nothing waits in memory, so a restart
 * loses no notification; a page that never returns simply leaves them pending.
 */
export async function pullWebOutbox(prisma: Db, sessionId: string, now: Date): Promise<OutboundMessage[]> {
  const rows = await prisma.outboxMessage.findMany({
    where: {
      channel: 'web',
      status: 'PENDING',
      notBefore: { lte: now },
      contactChannel: { channel: 'web', externalId: sessionId },
    },
    orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }],
    take: BATCH,
  });
  const handed: OutboundMessage[] = [];
  for (const row of rows) {
    const expired = row.expiresAt !== null && row.expiresAt <= now;
    // Conditional: of two polls at once (two tabs), only one hands a row over.
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id: row.id, status: 'PENDING' },
      data: expired ? { status: 'SKIPPED', lastError: 'expired' } : { status: 'SENT', sentAt: now },
    });
    if (count === 1 && !expired) handed.push(row.payload as unknown as OutboundMessage);
  }
  return handed;
}
