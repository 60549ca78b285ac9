import type { DbClient } from '../../services/db.js';

const CHANNEL = 'whatsapp-web';
/**
 * The switch's own ChannelState row. The dispatcher rewrites the channel's row when it pauses it (a
 * refused send, an outage), which would lose a stop; this row only the switch writes.
 */
export const STOP_ROW = 'whatsapp-web:stop';
/** A pause with no end: until someone resumes. */
const FOREVER = new Date('9999-12-31T00:00:00.000Z');

/**
 * Stops all WhatsApp Web sending for every instance: replies and the outbox (whose rows stay
 * PENDING: the channel's row is paused too, so no dispatcher claims them). `by` is who stopped it.
 */
export async function stopSending(db: DbClient, by: string): Promise<void> {
  const stop = { pausedUntil: FOREVER, reason: `stopped by ${by}`.slice(0, 200) };
  await db.channelState.upsert({
    where: { channel: STOP_ROW },
    create: { channel: STOP_ROW, ...stop },
    update: stop,
  });
  const pause = { pausedUntil: FOREVER, reason: 'stopped' };
  await db.channelState.upsert({
    where: { channel: CHANNEL },
    create: { channel: CHANNEL, ...pause },
    update: pause,
  });
}

/**
 * Lets WhatsApp Web send again. Any pause of the channel ends too: one the day's cap set comes back
 * at the next outbox send, which finds the cap still reached.
 */
export async function resumeSending(db: DbClient): Promise<void> {
  await db.channelState.updateMany({
    where: { channel: { in: [STOP_ROW, CHANNEL] } },
    data: { pausedUntil: null, reason: null },
  });
}

/** When sending was stopped, or null while it is on. */
export async function sendingStoppedAt(db: DbClient): Promise<Date | null> {
  const row = await db.channelState.findUnique({ where: { channel: STOP_ROW } });
  return row?.pausedUntil ? row.updatedAt : null;
}
