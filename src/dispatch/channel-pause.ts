import type { Db } from '../db/client.js';

/**
 * Why a channel is paused: the provider said 429, most sends failed for network reasons, or the
 * provider refused our account (payment, lock, policy, token).
 */
export type PauseReason = 'rate-limited' | 'outage' | 'account';

/**
 * The channels among `channels` paused at `now`, with when each pause ends. Read from ChannelState
 * before every pass, so a pause one instance wrote holds for all of them.
 */
export async function pausedChannels(prisma: Db, channels: string[], now: Date): Promise<Map<string, Date>> {
  const rows = await prisma.channelState.findMany({
    where: { channel: { in: channels }, pausedUntil: { gt: now } },
    select: { channel: true, pausedUntil: true },
  });
  return new Map(rows.map((row) => [row.channel, row.pausedUntil as Date]));
}

/**
 * Pauses a channel until `until` for every instance. A pause never shortens a longer one already
 * there (a stop switch's pause with no end, a cap's until midnight): the longer one stands.
 */
export async function pauseChannel(
  prisma: Db,
  channel: string,
  until: Date,
  reason: PauseReason,
): Promise<void> {
  const { count } = await prisma.channelState.updateMany({
    where: { channel, OR: [{ pausedUntil: null }, { pausedUntil: { lt: until } }] },
    data: { pausedUntil: until, reason },
  });
  if (count === 0)
    await prisma.channelState.upsert({
      where: { channel },
      create: { channel, pausedUntil: until, reason },
      update: {},
    });
}

/** Consecutive transient failures after which a channel counts as down. */
export const OUTAGE_THRESHOLD = 5;
const FIRST_PAUSE_MS = 5_000;
const MAX_PAUSE_MS = 300_000;

/**
 * The outage breaker of one channel (DESIGN §14): after `threshold` consecutive transient failures it
 * opens, pausing the channel 5 s, then 10 s, 20 s … at most 5 min while each probe after a pause
 * fails again; one success closes it and resets the backoff.
 */
export class OutageBreaker {
  private failures = 0;
  private trips = 0;

  constructor(readonly threshold = OUTAGE_THRESHOLD) {}

  /** A send went through: the channel works. */
  recordSuccess(): void {
    this.failures = 0;
    this.trips = 0;
  }

  /** A send failed transiently; returns how long to pause the channel when the breaker opens. */
  recordFailure(): number | undefined {
    this.failures++;
    if (this.failures < this.threshold) return undefined;
    this.trips++;
    return Math.min(FIRST_PAUSE_MS * 2 ** (this.trips - 1), MAX_PAUSE_MS);
  }
}
