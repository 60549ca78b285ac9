import type { DbClient } from '../../services/db.js';
import { createDailyCount, nextGazaMidnight } from './daily-cap.js';
import { SendRefusedError } from './send-queue.js';
import { sendingStoppedAt } from './sending-switch.js';

/** How soon a send refused while sending is off or stopped is tried again (the outbox's rows). */
export const STOPPED_RETRY_MS = 60_000;

/** What the coordinators' status page says about sending. */
export interface SendingStatus {
  /** WHATSAPP_WEB_SENDING: off in the configuration stops everything in this process. */
  enabled: boolean;
  /** When the admin API's switch stopped sending for every instance, if it did. */
  stoppedAt: Date | null;
  sentToday: number;
  dailyCap: number;
}

/**
 * Decides, right before each message goes out, whether it may: sending on in the configuration, not
 * stopped by the switch (read from the database every time, so a stop holds at once everywhere), and
 * under the day's cap (replies count too).
 */
export function createSendingGate(deps: {
  db: DbClient;
  enabled: boolean;
  dailyCap: number;
  clock: () => Date;
}) {
  const { db, enabled, dailyCap, clock } = deps;
  const count = createDailyCount(db);

  return {
    /**
     * Throws a SendRefusedError when the next `parts` messages (a photo and its long text) may not
     * all go out now: checked once for them all, so a message is never cut halfway.
     */
    async check(parts = 1): Promise<void> {
      if (!enabled) throw new SendRefusedError('off', STOPPED_RETRY_MS);
      if (await sendingStoppedAt(db)) throw new SendRefusedError('stopped', STOPPED_RETRY_MS);
      const now = clock();
      if ((await count.today(now)) + parts > dailyCap)
        throw new SendRefusedError('capped', nextGazaMidnight(now).getTime() - now.getTime());
    },

    /** Counts a message that went out. */
    sent: () => count.add(clock()),

    async status(): Promise<SendingStatus> {
      return {
        enabled,
        stoppedAt: await sendingStoppedAt(db),
        sentToday: await count.today(clock()),
        dailyCap,
      };
    },
  };
}

export type SendingGate = ReturnType<typeof createSendingGate>;
