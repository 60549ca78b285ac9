import { isUniqueViolation } from '../../db/client.js';
import type { DbClient } from '../../services/db.js';

const GAZA_CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Gaza',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** The wall-clock time in Gaza at `date`, as if it were UTC (so Date.UTC arithmetic applies). */
function gazaWallClock(date: Date): number {
  const parts = Object.fromEntries(GAZA_CLOCK.formatToParts(date).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

const DAY_MS = 86_400_000;
const offsetAt = (date: Date) => gazaWallClock(date) - Math.floor(date.getTime() / 1000) * 1000;

/** Midnight in Gaza that began the day `now` is in (daylight saving moves it between UTC 21:00 and 22:00). */
export function startOfGazaDay(now: Date): Date {
  const wallMidnight = Math.floor(gazaWallClock(now) / DAY_MS) * DAY_MS;
  const guess = wallMidnight - offsetAt(now);
  // The offset at midnight itself, in case a clock change came between midnight and now.
  return new Date(wallMidnight - offsetAt(new Date(guess)));
}

/** The next midnight in Gaza after `now`. */
export function nextGazaMidnight(now: Date): Date {
  return startOfGazaDay(new Date(startOfGazaDay(now).getTime() + 1.5 * DAY_MS));
}

/** The ChannelState row that counts the day's messages (sentCount since countedFrom). */
export const SENT_ROW = 'whatsapp-web:sent';

/**
 * The messages the WhatsApp Web number sent today (since midnight in Gaza), replies and the outbox
 * alike, counted in one ChannelState row so a restart does not reset them and every instance sees
 * the same number.
 */
export function createDailyCount(db: DbClient) {
  return {
    async today(now: Date): Promise<number> {
      const row = await db.channelState.findUnique({ where: { channel: SENT_ROW } });
      return row?.countedFrom?.getTime() === startOfGazaDay(now).getTime() ? row.sentCount : 0;
    },

    /**
     * One message went out. Each step is a single statement that re-checks its condition on the row
     * it updates, so concurrent sends (other instances, PostgreSQL) are all counted: today's count
     * goes up; else a count of an earlier day (or none) starts again at 1; else the row is new, or
     * another send just started today's count, which the upsert then increments.
     */
    async add(now: Date): Promise<void> {
      const from = startOfGazaDay(now);
      const where = { channel: SENT_ROW };
      const counted = await db.channelState.updateMany({
        where: { ...where, countedFrom: from },
        data: { sentCount: { increment: 1 } },
      });
      if (counted.count) return;
      const restarted = await db.channelState.updateMany({
        where: { ...where, OR: [{ countedFrom: null }, { countedFrom: { lt: from } }] },
        data: { sentCount: 1, countedFrom: from },
      });
      if (restarted.count) return;
      const increment = { sentCount: { increment: 1 } };
      await db.channelState
        .upsert({ where, create: { ...where, sentCount: 1, countedFrom: from }, update: increment })
        .catch(async (err) => {
          // An upsert Prisma runs as a read then a write: another send created the row meanwhile.
          if (!isUniqueViolation(err)) throw err;
          await db.channelState.updateMany({ where, data: increment });
        });
    },
  };
}
