import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createCoordinatorService } from '../../src/services/coordinators.js';
import { startTestApp } from '../support/app.js';

const ENV = {
  COORDINATOR_TELEGRAM_IDS: '111',
  COORDINATOR_PHONES: '0599123456',
  ADMIN_API_TOKEN: 'x'.repeat(32),
};

describe('coordinators from the configuration', () => {
  let dataDir: string | undefined;
  let running: Awaited<ReturnType<typeof startTestApp>> | undefined;
  afterAll(async () => {
    await running?.cleanup();
  });

  it('are granted at start, audited once, and not again on restart', async () => {
    running = await startTestApp(ENV);
    dataDir = running.dataDir;
    let prisma = running.taawun.database.prisma;
    const byTelegram = await prisma.contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: '111' } },
      include: { contact: true },
    });
    const byPhone = await prisma.contact.findFirstOrThrow({ where: { phone: '+970599123456' } });
    expect([byTelegram.contact.role, byPhone.role]).toEqual(['COORDINATOR', 'COORDINATOR']);
    const entries = await prisma.auditLog.findMany({ where: { action: 'coordinator.grant' } });
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.targetId).sort()).toEqual([byTelegram.contactId, byPhone.id].sort());
    for (const e of entries)
      expect(e).toMatchObject({ actorLabel: 'config', channel: 'config', actorId: null });

    await running.stop();
    running = await startTestApp(ENV, dataDir);
    prisma = running.taawun.database.prisma;
    expect(await prisma.auditLog.count({ where: { action: 'coordinator.grant' } })).toBe(2);
    expect(await prisma.contact.count({ where: { role: 'COORDINATOR' } })).toBe(2);
    const coordinators = createCoordinatorService(prisma);
    expect(await coordinators.isCoordinatorTelegramUser('111')).toBe(true);
    expect(await coordinators.isCoordinatorTelegramUser('222')).toBe(false);

    const listed = await request(running.taawun.app)
      .get('/api/coordinators')
      .set('Authorization', `Bearer ${ENV.ADMIN_API_TOKEN}`);
    expect(listed.body.total).toBe(2);
    expect(listed.body.items.map((c: { phone: string | null }) => c.phone).sort()).toEqual([
      '+970599123456',
      null,
    ]);
  });
});
