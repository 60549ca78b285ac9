import type { Channel } from '../../core/message.js';
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../generated/sqlite/client.js';
import { OUTSIDE_WINDOW_CODE, UNREACHABLE_CODE } from './client.js';
import { type CloudPayload, OUTSIDE_WINDOW } from './outbox-sender.js';
import type { DeliveryReport } from './translate.js';
import type { WindowTemplates } from './window.js';

const ERROR_LIMIT = 500;
/** Statuses a report may replace: they arrive out of order, and `read` must not fall back to `delivered`. */
const BEFORE: Record<DeliveryReport['status'], string[]> = {
  sent: [],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  failed: ['sent', 'delivered', 'read'],
};

/**
 * What a failure WhatsApp reports after accepting a message changes. 131047 (her window had closed):
 * the row goes back to PENDING to be sent by template, or is SKIPPED `outside_window` when there is
 * none for her language. 131026 (not on WhatsApp): her address is marked unreachable, as a blocked
 * Telegram chat is. Anything else stays recorded on the row only.
 */
async function actOnFailure(
  prisma: Db,
  where: Prisma.OutboxMessageWhereInput,
  report: DeliveryReport,
  templates: WindowTemplates | undefined,
) {
  if (report.errorCode === UNREACHABLE_CODE) {
    const rows = await prisma.outboxMessage.findMany({ where, select: { contactChannelId: true } });
    const ids = rows.flatMap((row) => (row.contactChannelId ? [row.contactChannelId] : []));
    await prisma.contactChannel.updateMany({
      where: { id: { in: ids }, unreachable: false },
      data: { unreachable: true, unreachableAt: report.at },
    });
    return;
  }
  if (report.errorCode !== OUTSIDE_WINDOW_CODE) return;
  for (const row of await prisma.outboxMessage.findMany({ where: { ...where, status: 'SENT' } })) {
    const { partsSent: _, ...payload } = row.payload as unknown as CloudPayload;
    const data: Prisma.OutboxMessageUpdateManyMutationInput = templates?.[payload.locale ?? 'ar']
      ? {
          status: 'PENDING',
          notBefore: report.at,
          payload: { ...payload, viaTemplate: true } as unknown as Prisma.InputJsonObject,
          // The template's own statuses are recorded from scratch.
          providerMessageId: null,
          deliveryStatus: null,
        }
      : { status: 'SKIPPED', lastError: OUTSIDE_WINDOW };
    await prisma.outboxMessage.updateMany({ where: { id: row.id, status: 'SENT' }, data });
  }
}

/**
 * Records a status on the outbox row sent as `providerMessageId` (a direct reply has no row: nothing
 * to do). The row stays SENT: `deliveryStatus` says what became of it, `deliveredAt` / `readAt` keep
 * the first time each was reported, a failure keeps WhatsApp's reason in `lastError` and is acted on
 * (see actOnFailure). Resolves false when no row carries that id (yet: see the adapter).
 */
export async function recordDelivery(
  prisma: Db,
  channel: Channel,
  report: DeliveryReport,
  templates?: WindowTemplates,
): Promise<boolean> {
  const row = { channel, providerMessageId: report.providerMessageId };
  const { count } = await prisma.outboxMessage.updateMany({
    where: { ...row, OR: [{ deliveryStatus: null }, { deliveryStatus: { in: BEFORE[report.status] } }] },
    data: {
      deliveryStatus: report.status,
      ...(report.error ? { lastError: report.error.slice(0, ERROR_LIMIT) } : {}),
    },
  });
  if (count && report.status === 'failed') await actOnFailure(prisma, row, report, templates);
  if (report.status === 'delivered' || report.status === 'read')
    await prisma.outboxMessage.updateMany({
      where: { ...row, deliveredAt: null },
      data: { deliveredAt: report.at },
    });
  if (report.status === 'read')
    await prisma.outboxMessage.updateMany({ where: { ...row, readAt: null }, data: { readAt: report.at } });
  return count > 0 || (await prisma.outboxMessage.count({ where: row })) > 0;
}
