import { describe, expect, it } from 'vitest';
import { useAdminApp } from '../support/admin-api.js';
import { seedCooperative } from '../support/cooperatives.js';

let seq = 0;

describe('broadcasts through the admin API', () => {
  const { prisma, get, post } = useAdminApp();

  /** A subscribed contact reachable on Telegram, in `locale`. */
  const subscriber = (locale = 'ar') =>
    prisma().contact.create({
      data: {
        subscribed: true,
        locale,
        channels: { create: { channel: 'telegram', externalId: `api-${++seq}`, lastInboundAt: new Date() } },
      },
    });

  const rowsOf = (broadcastId: string) =>
    prisma().outboxMessage.findMany({ where: { broadcastId }, include: { contactChannel: true } });

  it('creates and queues a broadcast (202 { id }), then reports its status and counts', async () => {
    const english = await subscriber('en');
    await subscriber();
    await prisma().contact.create({ data: { subscribed: false } });
    const res = await post('/broadcasts', {
      text: { ar: 'ورشة عمل يوم السبت', en: 'Workshop on Saturday' },
      audience: { kind: 'all' },
    });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body)).toEqual(['id']);
    const rows = await rowsOf(res.body.id);
    expect(rows).toHaveLength(2);
    const toEnglish = rows.find((r) => r.contactChannel?.contactId === english.id);
    expect((toEnglish?.payload as { text?: string } | undefined)?.text).toMatch(/^Workshop on Saturday/);

    const status = await get(`/broadcasts/${res.body.id}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: res.body.id,
      status: 'QUEUED',
      audience: { kind: 'all' },
      text: { ar: 'ورشة عمل يوم السبت', en: 'Workshop on Saturday' },
      scheduledAt: null,
      counts: { pending: 2, sent: 0, failed: 0, skipped: 0, total: 2 },
    });
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { action: 'broadcast.queue' } });
    expect(entry).toMatchObject({ actorLabel: 'admin-token:env', targetId: res.body.id });
    expect((await get('/broadcasts/nope')).status).toBe(404);
  });

  it('makes a repeated request with the same Idempotency-Key or requestId a no-op', async () => {
    await subscriber();
    const body = { text: { ar: 'خبر مرة واحدة' }, audience: { kind: 'all' } };
    const first = await post('/broadcasts').set('Idempotency-Key', 'k-123').send(body);
    const second = await post('/broadcasts').set('Idempotency-Key', 'k-123').send(body);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const byRequestId = await post('/broadcasts', { ...body, requestId: 'client-7' });
    const again = await post('/broadcasts', { ...body, requestId: 'client-7' });
    expect(again.body.id).toBe(byRequestId.body.id);
    expect(byRequestId.body.id).not.toBe(first.body.id);
    const texts = await prisma().broadcast.count({ where: { text: { equals: { ar: 'خبر مرة واحدة' } } } });
    expect(texts).toBe(2);
    expect(await prisma().outboxMessage.count({ where: { broadcastId: first.body.id } })).toBe(
      await prisma().contact.count({ where: { subscribed: true } }),
    );
  });

  it('schedules with notBefore, and cancel skips what is not sent', async () => {
    await subscriber();
    const scheduledAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await post('/broadcasts', { text: { ar: 'غدًا' }, audience: { kind: 'all' }, scheduledAt });
    const rows = await rowsOf(res.body.id);
    expect(rows.every((r) => r.notBefore.toISOString() === scheduledAt)).toBe(true);

    const cancelled = await post(`/broadcasts/${res.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', scheduledAt, counts: { pending: 0 } });
    expect(cancelled.body.counts.skipped).toBe(rows.length);
    const skipped = await rowsOf(res.body.id);
    expect(skipped.every((r) => r.status === 'SKIPPED' && r.lastError === 'cancelled')).toBe(true);
    const twice = await post(`/broadcasts/${res.body.id}/cancel`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_finished');
    expect((await post('/broadcasts/nope/cancel')).status).toBe(404);
  });

  it.each([
    [{ text: { ar: '' }, audience: { kind: 'all' } }, 'body.text.ar'],
    [{ text: { ar: 'نص' }, audience: { kind: 'everyone' } }, 'body.audience'],
    [{ text: { ar: 'نص' }, audience: { kind: 'governorates', slugs: [] } }, 'body.audience.slugs'],
    [{ text: { ar: 'نص' }, audience: { kind: 'governorates', slugs: ['atlantis'] } }, 'body.audience.slugs'],
    [{ text: { ar: 'نص' }, audience: { kind: 'all' }, scheduledAt: 'tomorrow' }, 'body.scheduledAt'],
    [{ text: { ar: 'نص' }, audience: { kind: 'all' }, extra: 1 }, 'body'],
  ])('refuses an invalid body (%j)', async (body, where) => {
    const res = await post('/broadcasts', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(where);
  });

  it('refuses a past time, an unknown cooperative and an audience that reaches nobody', async () => {
    const past = await post('/broadcasts', {
      text: { ar: 'نص' },
      audience: { kind: 'all' },
      scheduledAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('scheduled_in_past');
    const unknown = await post('/broadcasts', {
      text: { ar: 'نص' },
      audience: { kind: 'cooperative', id: 'x' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_cooperative');
    const cooperative = await seedCooperative(prisma(), { name: 'جمعية بلا عضوات مشتركات' });
    const nobody = await post('/broadcasts', {
      text: { ar: 'نص' },
      audience: { kind: 'cooperative', id: cooperative.id },
    });
    expect(nobody.status).toBe(409);
    expect(nobody.body.error.code).toBe('no_recipients');
    expect(
      await prisma().broadcast.count({
        where: { audience: { equals: { kind: 'cooperative', id: cooperative.id } } },
      }),
    ).toBe(0);
  });
});
