import { describe, expect, it } from 'vitest';
import { createDailyCount, SENT_ROW, startOfGazaDay } from '../../src/channels/whatsapp-web/daily-cap.js';
import type { DbProvider } from '../../src/db/client.js';
import { useCleanups } from '../support/cleanups.js';
import { createTestDatabase } from '../support/db.js';

describe.each<DbProvider>(['sqlite', 'postgresql'])(
  'the daily count of WhatsApp Web sends (%s)',
  (provider) => {
    const cleanups = useCleanups();
    const database = async () => {
      const test = await createTestDatabase(provider);
      cleanups.push(test.cleanup);
      return test.db.prisma;
    };
    const yesterday = new Date('2025-07-01T12:00:00Z');
    const today = new Date('2025-07-02T12:00:00Z');

    it('counts concurrent sends in one row, and starts again at midnight in Gaza', async () => {
      const prisma = await database();
      const count = createDailyCount(prisma);
      await Promise.all(Array.from({ length: 12 }, () => count.add(yesterday)));
      expect(await count.today(yesterday)).toBe(12);
      expect(await count.today(today)).toBe(0);

      // The first sends of a new day race to restart the count: none is lost.
      await Promise.all(Array.from({ length: 12 }, () => count.add(today)));
      expect(await count.today(today)).toBe(12);
      expect(await prisma.channelState.findUniqueOrThrow({ where: { channel: SENT_ROW } })).toMatchObject({
        sentCount: 12,
        countedFrom: startOfGazaDay(today),
      });
      expect(await prisma.outboxMessage.count()).toBe(0);
    });
  },
);
