import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { useAdminApp } from '../support/admin-api.js';
import { webUser } from '../support/app.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { onboardChatUser } from '../support/onboarding.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');

describe('cooperatives through the admin API', () => {
  const { app, prisma, get, post, api } = useAdminApp();

  /** A web chat user who onboarded as a member: she is at the main menu. */
  async function onboard(sessionId: string) {
    const user = webUser(app(), sessionId);
    await onboardChatUser(user);
    return user;
  }

  it('approves a cooperative registered in the web chat; its lead gets the code; a member joins with it', async () => {
    const lead = await onboard('session-coop-lead');
    await lead.press(ar('cooperatives:menu.register'));
    for (const answer of [
      'تعاونية نساء الخليل',
      '1',
      'الخليل',
      'دورا',
      '3',
      'تم',
      '45',
      'ألبان وأجبان بلدية',
      '0599123456',
    ]) {
      await lead.say(answer);
    }
    await lead.press(ar('cooperatives:register.submit'));

    const pending = await get('/cooperatives?status=PENDING');
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const [listed] = pending.body.items;
    expect(listed).toMatchObject({
      name: 'تعاونية نساء الخليل',
      legalForm: 'COOPERATIVE',
      governorate: 'hebron',
      sectors: ['dairy'],
      membersCount: 45,
      members: 1,
      contactPhone: '+970599123456',
      status: 'PENDING',
      joinCode: null,
    });

    const approved = await post(`/cooperatives/${listed.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', lead: { id: await lead.contactId() } });
    const code = approved.body.joinCode as string;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const told = await prisma().outboxMessage.findFirstOrThrow({
      where: { kind: 'cooperative-status', contactChannel: { contactId: await lead.contactId() } },
    });
    expect((told.payload as { text: string }).text).toContain(code);
    expect(
      await prisma().auditLog.findFirstOrThrow({ where: { action: 'cooperative.approve' } }),
    ).toMatchObject({
      targetId: listed.id,
      actorLabel: 'admin-token:env',
      channel: 'api',
    });

    const again = await post(`/cooperatives/${listed.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_handled');
    expect(await prisma().auditLog.count({ where: { action: 'cooperative.approve' } })).toBe(1);

    const member = await onboard('session-coop-member');
    await member.press(ar('cooperatives:menu.join'));
    const joined = await member.say(code.toLowerCase());
    expect(joined.map((m) => m.text).join('\n')).toContain(
      ar('cooperatives:join.joined', { name: 'تعاونية نساء الخليل' }),
    );

    const approvedList = await get('/cooperatives?status=APPROVED');
    expect(approvedList.body.items).toEqual([expect.objectContaining({ id: listed.id, members: 2 })]);
    const detail = await get(`/cooperatives/${listed.id}`);
    expect(detail.body).toMatchObject({ members: 2, joinCode: code, lead: { id: await lead.contactId() } });
  });

  it('rejects with a reason that reaches the lead, once', async () => {
    const lead = await prisma().contact.create({
      data: { displayName: 'هدى', channels: { create: { channel: 'web', externalId: 'session-reject-1' } } },
    });
    const cooperative = await seedCooperative(prisma(), { name: 'جمعية الرفض', status: 'PENDING' });
    await seedMembership(prisma(), lead.id, cooperative.id, { role: 'LEAD' });

    const noReason = await post(`/cooperatives/${cooperative.id}/reject`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('validation_failed');

    const rejected = await post(`/cooperatives/${cooperative.id}/reject`, { reason: 'الوثائق غير مكتملة' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'الوثائق غير مكتملة',
      joinCode: null,
    });
    const told = await prisma().outboxMessage.findFirstOrThrow({
      where: { kind: 'cooperative-status', contactChannel: { contactId: lead.id } },
    });
    expect((told.payload as { text: string }).text).toBe(
      ar('cooperatives:notify.rejected', { name: 'جمعية الرفض', reason: 'الوثائق غير مكتملة' }),
    );
    expect(
      await prisma().auditLog.findFirstOrThrow({ where: { action: 'cooperative.reject' } }),
    ).toMatchObject({
      targetId: cooperative.id,
      data: { reason: 'الوثائق غير مكتملة' },
    });

    const again = await post(`/cooperatives/${cooperative.id}/reject`, { reason: 'مرة أخرى' });
    expect(again.status).toBe(409);
    const approveRejected = await post(`/cooperatives/${cooperative.id}/approve`);
    expect(approveRejected.status).toBe(409);
  });

  it('filters by status, governorate and name (any spelling), and pages', async () => {
    for (let i = 1; i <= 5; i++) {
      await seedCooperative(prisma(), {
        name: `جمعية رفح للتطريز ${i}`,
        governorate: 'rafah',
        status: i % 2 ? 'APPROVED' : 'SUSPENDED',
        createdAt: new Date(Date.UTC(2026, 0, i)),
      });
    }
    const rafah = await get('/cooperatives?governorate=rafah&pageSize=2');
    expect(rafah.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(rafah.body.items.map((c: { name: string }) => c.name)).toEqual([
      'جمعية رفح للتطريز 5',
      'جمعية رفح للتطريز 4',
    ]);
    const third = await get('/cooperatives?governorate=rafah&pageSize=2&page=3');
    expect(third.body.items).toHaveLength(1);

    const suspended = await get('/cooperatives?governorate=rafah&status=SUSPENDED');
    expect(suspended.body.total).toBe(2);
    const byName = await get(`/cooperatives?q=${encodeURIComponent('جمعيه رفح')}&status=APPROVED`);
    expect(byName.body.total).toBe(3);
    const none = await get(`/cooperatives?q=${encodeURIComponent('نابلس')}&governorate=rafah`);
    expect(none.body).toMatchObject({ total: 0, items: [] });

    expect((await get('/cooperatives?governorate=paris')).status).toBe(400);
    expect((await get('/cooperatives?status=MAYBE')).status).toBe(400);
  });

  it('answers 404 for an unknown cooperative and 401 without a token', async () => {
    for (const res of [
      await get('/cooperatives/no-such-id'),
      await post('/cooperatives/no-such-id/approve'),
      await post('/cooperatives/no-such-id/reject', { reason: 'x' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await api().get('/api/cooperatives')).status).toBe(401);
  });
});
