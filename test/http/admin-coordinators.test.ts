import { describe, expect, it } from 'vitest';
import { createCoordinatorService } from '../../src/services/coordinators.js';
import { useAdminApp } from '../support/admin-api.js';

describe('coordinators through the admin API', () => {
  const { prisma, get, post, del } = useAdminApp();
  const grant = (body: object) => post('/coordinators', body);
  const revoke = (id: string) => del(`/coordinators/${id}`);
  const auditCount = (action: string, targetId: string) =>
    prisma().auditLog.count({ where: { action, targetId } });

  it('grants by Telegram user id, creating the contact and its telegram address', async () => {
    const res = await grant({ telegramUserId: '900100' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'COORDINATOR', telegramUserIds: ['900100'], phone: null });
    const address = await prisma().contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: '900100' } },
    });
    expect(address.contactId).toBe(res.body.id);
    expect(await createCoordinatorService(prisma()).isCoordinatorTelegramUser('900100')).toBe(true);
    expect(await createCoordinatorService(prisma()).isCoordinatorTelegramUser('900199')).toBe(false);
  });

  it('grants by phone in any form, matching a contact that already has it', async () => {
    const known = await prisma().contact.create({ data: { phone: '+970599000111' } });
    const res = await grant({ phone: '0599 000 111' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: known.id, phone: '+970599000111', role: 'COORDINATOR' });

    const fresh = await grant({ phone: '+970 59 900 0222' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.phone).toBe('+970599000222');
    expect(await createCoordinatorService(prisma()).isCoordinator(fresh.body.id)).toBe(true);
  });

  it('grants an existing contact by id, and 404s an unknown one', async () => {
    const contact = await prisma().contact.create({ data: {} });
    expect((await grant({ contactId: contact.id })).status).toBe(201);
    const missing = await grant({ contactId: 'no-such-contact' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('is idempotent: granting again answers 200 and writes no second audit entry', async () => {
    const first = await grant({ telegramUserId: '900200' });
    const again = await grant({ telegramUserId: '900200' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(await auditCount('coordinator.grant', first.body.id)).toBe(1);
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { targetId: first.body.id } });
    expect(entry).toMatchObject({
      targetType: 'contact',
      actorLabel: 'admin-token:env',
      data: { via: 'telegram' },
    });
  });

  it('revokes, once: the contact stays as a user and leaves the list', async () => {
    const { body } = await grant({ telegramUserId: '900300' });
    const res = await revoke(body.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: body.id, role: 'USER' });
    expect((await revoke(body.id)).status).toBe(200);
    expect(await auditCount('coordinator.revoke', body.id)).toBe(1);
    expect(await createCoordinatorService(prisma()).isCoordinatorTelegramUser('900300')).toBe(false);
    const all = await get('/coordinators?pageSize=100');
    expect(all.body.items.map((c: { id: string }) => c.id)).not.toContain(body.id);
  });

  it('answers 404 when revoking an unknown id', async () => {
    const res = await revoke('no-such-contact');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'Resource not found' } });
  });

  it.each([
    [{}, /^body: give exactly one/],
    [{ telegramUserId: '1', phone: '0599123456' }, /^body: give exactly one/],
    [{ telegramUserId: 'abc' }, /^body\.telegramUserId: must be a Telegram user id/],
    [{ telegramUserId: 123 }, /^body\.telegramUserId: /],
    [{ phone: '12' }, /^body\.phone: must be a phone number/],
    [{ phone: '0599123456', admin: true }, /^body: .*admin/],
  ])('refuses %o with 400 validation_failed naming the field', async (body, message) => {
    const res = await grant(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await post('/coordinators').set('Content-Type', 'application/json').send('{"phone":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('pages the list with page and pageSize, and refuses bad values', async () => {
    const total = (await get('/coordinators')).body.total as number;
    expect(total).toBeGreaterThanOrEqual(5);
    const page = await get('/coordinators?page=2&pageSize=2');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 2, total });
    expect(page.body.items).toHaveLength(2);
    const everyone = await get(`/coordinators?pageSize=${total}`);
    expect(page.body.items).toEqual(everyone.body.items.slice(2, 4));
    expect((await get(`/coordinators?page=${total + 1}&pageSize=1`)).body.items).toEqual([]);
    expect((await get('/coordinators')).body).toMatchObject({ page: 1, pageSize: 20 });

    for (const [query, field] of [
      ['page=0', 'query.page'],
      ['page=abc', 'query.page'],
      ['pageSize=0', 'query.pageSize'],
      ['pageSize=101', 'query.pageSize'],
      ['pageSize=2.5', 'query.pageSize'],
    ]) {
      const res = await get(`/coordinators?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message.startsWith(`${field}: `), res.body.error.message).toBe(true);
    }
  });

  it('lists the audit log newest first, filtered by action, target type and target id', async () => {
    const { body } = await grant({ telegramUserId: '900400' });
    await revoke(body.id);
    const forContact = await get(`/audit?targetType=contact&targetId=${body.id}`);
    expect(forContact.status).toBe(200);
    expect(forContact.body.total).toBe(2);
    expect(forContact.body.items.map((e: { action: string }) => e.action)).toEqual([
      'coordinator.revoke',
      'coordinator.grant',
    ]);
    expect(forContact.body.items[0]).toMatchObject({
      actorLabel: 'admin-token:env',
      channel: 'api',
      targetType: 'contact',
      targetId: body.id,
      data: { previousRole: 'COORDINATOR' },
    });
    expect(Number.isNaN(Date.parse(forContact.body.items[0].at))).toBe(false);

    const revokes = await get('/audit?action=coordinator.revoke&pageSize=1');
    expect(revokes.body.items).toHaveLength(1);
    expect(revokes.body.total).toBe(
      await prisma().auditLog.count({ where: { action: 'coordinator.revoke' } }),
    );
    expect((await get('/audit?targetType=nothing')).body).toMatchObject({ items: [], total: 0 });
    expect((await get('/audit?pageSize=500')).status).toBe(400);
  });
});
