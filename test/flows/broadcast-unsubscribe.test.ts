import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.js';
import { textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';
import { testServiceDeps } from '../support/service-deps.js';

const h = useEngineHarness();
const API = { label: 'admin-token:test', channel: 'admin-api' };

describe('stopping the news after a broadcast was queued', () => {
  it('skips her messages not sent yet, and only hers; a broadcast to coordinators still goes', async () => {
    await onboardMember(h, 'amal');
    await onboardMember(h, 'huda');
    await h.prisma.contact.updateMany({ data: { subscribed: true } });
    const amal = await h.contactOf('amal');
    await h.prisma.contact.update({ where: { id: amal?.id }, data: { role: 'COORDINATOR' } });
    const services = createServices(h.prisma, testServiceDeps());
    const later = new Date(Date.now() + 3_600_000);
    const now = await services.broadcasts.publish(
      { text: { ar: 'خبر اليوم' }, audience: { kind: 'all' } },
      API,
      new Date(),
    );
    const scheduled = await services.broadcasts.publish(
      { text: { ar: 'خبر الغد' }, audience: { kind: 'all' }, scheduledAt: later },
      API,
      new Date(),
    );
    const staff = await services.broadcasts.publish(
      { text: { ar: 'اجتماع المنسّقات' }, audience: { kind: 'coordinators' } },
      API,
      new Date(),
    );

    expect(textOf(await h.send('amal', 'إيقاف'))).toContain(h.ar('engine:stopped'));

    const rows = await h.prisma.outboxMessage.findMany({ include: { contactChannel: true } });
    const of = (broadcastId: string, user: string) =>
      rows.find((r) => r.broadcastId === broadcastId && r.contactChannel?.externalId === user);
    for (const { broadcast } of [now, scheduled])
      expect(of(broadcast.id, 'amal')).toMatchObject({ status: 'SKIPPED', lastError: 'unsubscribed' });
    for (const { broadcast } of [now, scheduled])
      expect(of(broadcast.id, 'huda')).toMatchObject({ status: 'PENDING', lastError: null });
    expect(of(staff.broadcast.id, 'amal')).toMatchObject({ status: 'PENDING' });
  });
});
