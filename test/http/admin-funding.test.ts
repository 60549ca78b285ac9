import { describe, expect, it } from 'vitest';
import { useAdminApp } from '../support/admin-api.js';
import { LOAN_PROGRAM } from '../support/funding.js';

describe('funding through the admin API', () => {
  const { prisma, api, get, post, patch } = useAdminApp();

  /** A member reachable on the web chat, with one funding request. */
  async function memberWithRequest() {
    const contact = await prisma().contact.create({
      data: {
        consentAt: new Date(),
        channels: { create: { channel: 'web', externalId: `s-${Date.now()}` } },
      },
      include: { channels: true },
    });
    const created = await prisma().fundingRequest.create({
      data: {
        contactId: contact.id,
        purpose: 'ماكينة خياطة',
        amountMinor: 50_000,
        currency: 'USD',
        history: [],
      },
    });
    return { contact, channelId: contact.channels[0]?.id, request: created };
  }

  it('creates, lists, changes and archives programs, all audited', async () => {
    const created = await post('/funding-programs', LOAN_PROGRAM);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...LOAN_PROGRAM, status: 'ACTIVE', description: null });
    const id = created.body.id as string;

    const grant = await post('/funding-programs', {
      ...LOAN_PROGRAM,
      name: 'منحة الإنتاج الغذائي',
      kind: 'GRANT',
    });
    expect(grant.body.currency).toBe('USD');
    const ils = await post('/funding-programs', {
      name: 'دعم عيني بالمعدات',
      provider: 'بلدية بيت حانون',
      kind: 'IN_KIND',
      eligibility: 'الجمعيات المسجّلة في الشمال',
      howToApply: 'التواصل مع المنسّقة',
    });
    expect(ils.body).toMatchObject({ currency: 'ILS', minAmountMinor: null, maxAmountMinor: null });

    const changed = await patch(`/funding-programs/${id}`, {
      maxAmountMinor: 800_000,
      description: 'بفائدة مخفّضة',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      maxAmountMinor: 800_000,
      description: 'بفائدة مخفّضة',
      name: LOAN_PROGRAM.name,
    });

    const archived = await post(`/funding-programs/${id}/archive`);
    expect(archived.body.status).toBe('ARCHIVED');
    expect((await post(`/funding-programs/${id}/archive`)).status).toBe(200);

    const active = await get('/funding-programs?status=ACTIVE&pageSize=1');
    expect(active.body).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(active.body.items).toHaveLength(1);
    const page2 = await get('/funding-programs?status=ACTIVE&pageSize=1&page=2');
    expect(page2.body.items[0].id).not.toBe(active.body.items[0].id);
    expect(
      (await get('/funding-programs?status=ARCHIVED')).body.items.map((p: { id: string }) => p.id),
    ).toEqual([id]);

    const audit = await prisma().auditLog.findMany({ where: { targetId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'funding-program.create',
      'funding-program.update',
      'funding-program.archive',
    ]);
    expect(audit[0]?.actorLabel).toBe('admin-token:env');
  });

  it('refuses invalid programs with the field named', async () => {
    const missing = await post('/funding-programs', { ...LOAN_PROGRAM, eligibility: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation_failed' });
    expect(missing.body.error.message).toContain('body.eligibility');

    const fractional = await post('/funding-programs', { ...LOAN_PROGRAM, minAmountMinor: 12.5 });
    expect(fractional.status).toBe(400);
    const euro = await post('/funding-programs', { ...LOAN_PROGRAM, currency: 'EUR' });
    expect(euro.body.error.message).toContain('body.currency');
    const unknownField = await post('/funding-programs', { ...LOAN_PROGRAM, rate: 3 });
    expect(unknownField.status).toBe(400);
    const inverted = await post('/funding-programs', { ...LOAN_PROGRAM, minAmountMinor: 900_000 });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.message).toContain('minAmountMinor');
    const empty = await patch('/funding-programs/whatever', {});
    expect(empty.status).toBe(400);
    expect((await get('/funding-programs?status=OPEN')).status).toBe(400);
  });

  it('404s unknown programs and requests', async () => {
    expect((await patch('/funding-programs/no-such', { name: 'اسم جديد' })).status).toBe(404);
    expect((await post('/funding-programs/no-such/archive')).status).toBe(404);
    const missing = await patch('/funding-requests/no-such', { status: 'CLOSED' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('answers a request: status, answer and history stored, and an outbox message to her', async () => {
    const { request: created, channelId } = await memberWithRequest();
    const answer = 'وافقت فاتن على دراسة طلبكِ، وستتصل بكِ الأسبوع القادم';
    const res = await patch(`/funding-requests/${created.id}`, { status: 'ANSWERED', answer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ANSWERED',
      coordinatorReply: answer,
      ref: created.id.slice(-6).toUpperCase(),
      history: [{ status: 'ANSWERED', by: 'admin-token:env', note: answer }],
    });
    const notices = await prisma().outboxMessage.findMany({ where: { contactChannelId: channelId } });
    expect(notices).toHaveLength(1);
    expect((notices[0]?.payload as { text: string } | undefined)?.text).toContain(answer);

    const same = await patch(`/funding-requests/${created.id}`, { status: 'ANSWERED' });
    expect(same.status).toBe(200);
    expect(await prisma().outboxMessage.count({ where: { contactChannelId: channelId } })).toBe(1);

    expect((await patch(`/funding-requests/${created.id}`, { status: 'CLOSED' })).status).toBe(200);
    const reopened = await patch(`/funding-requests/${created.id}`, { status: 'IN_REVIEW' });
    expect(reopened.status).toBe(409);
    expect(reopened.body.error.code).toBe('request_closed');
    expect((await patch(`/funding-requests/${created.id}`, { status: 'NEW' })).status).toBe(400);
    expect(
      await prisma().auditLog.count({ where: { action: 'funding-request.status', targetId: created.id } }),
    ).toBe(2);
  });

  it('lists requests by status, a page at a time', async () => {
    const first = await memberWithRequest();
    await memberWithRequest();
    await patch(`/funding-requests/${first.request.id}`, { status: 'IN_REVIEW' });
    const inReview = await get('/funding-requests?status=IN_REVIEW');
    expect(inReview.body.items.map((r: { id: string }) => r.id)).toEqual([first.request.id]);
    const page = await get('/funding-requests?pageSize=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(3);
    expect((await get('/funding-requests?pageSize=0')).status).toBe(400);
  });

  it('needs a token', async () => {
    expect((await api().get('/api/funding-programs')).status).toBe(401);
  });
});
