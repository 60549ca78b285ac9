import { describe, expect, it } from 'vitest';
import { createEventService } from '../../src/services/events.js';
import { useAdminApp } from '../support/admin-api.js';
import { API } from '../support/events.js';
import { testServiceDeps } from '../support/service-deps.js';

const WORKSHOP = {
  title: 'ورشة التسعير',
  description: 'كيف نسعّر منتجات الجمعية',
  place: 'بيت لاهيا',
  startsAt: '2030-12-05 10:00',
  endsAt: '2030-12-05T13:00:00+02:00',
  audience: { kind: 'governorates', slugs: ['north-gaza', 'hebron'] },
};

describe('events through the admin API', () => {
  const { prisma, get, post } = useAdminApp();

  /** A subscribed contact reachable on Telegram, living in `governorate`. */
  const invitee = (externalId: string, governorate: string, displayName: string) =>
    prisma().contact.create({
      data: {
        subscribed: true,
        governorate,
        displayName,
        channels: { create: { channel: 'telegram', externalId, lastInboundAt: new Date() } },
      },
    });

  it('creates an event in Gaza time, invites its audience once, and lists the answers as JSON and CSV', async () => {
    const created = await post('/events', { ...WORKSHOP, capacity: 20 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'ورشة التسعير',
      startsAt: '2030-12-05T08:00:00.000Z',
      endsAt: '2030-12-05T11:00:00.000Z',
      capacity: 20,
      audience: WORKSHOP.audience,
    });
    const id = created.body.id as string;
    expect(await prisma().auditLog.count({ where: { action: 'event.create', targetId: id } })).toBe(1);

    const amal = await invitee('ev-1', 'north-gaza', 'أمل');
    const huda = await invitee('ev-2', 'north-gaza', 'هدى');
    await invitee('ev-3', 'hebron', 'سلمى');
    await invitee('ev-4', 'gaza', 'ريم');
    const invited = await post(`/events/${id}/invitations`);
    expect(invited.status).toBe(202);
    expect(invited.body).toEqual({ invited: 3, total: 3 });
    expect((await post(`/events/${id}/invitations`)).body).toEqual({ invited: 0, total: 3 });
    expect(await prisma().outboxMessage.count({ where: { kind: 'invitation' } })).toBe(3);

    const events = createEventService(prisma(), testServiceDeps());
    await events.respond(amal.id, id, 'YES', new Date());
    await events.respond(huda.id, id, 'NO', new Date());
    const rsvps = await get(`/events/${id}/rsvps`);
    expect(rsvps.status).toBe(200);
    expect(rsvps.body.counts).toEqual({ invited: 3, yes: 1, waitlisted: 0, maybe: 0, no: 1, pending: 1 });
    expect(rsvps.body.byGovernorate).toEqual(
      expect.arrayContaining([
        { governorate: 'north-gaza', invited: 2, yes: 1, waitlisted: 0, maybe: 0, no: 1, pending: 0 },
        { governorate: 'hebron', invited: 1, yes: 0, waitlisted: 0, maybe: 0, no: 0, pending: 1 },
      ]),
    );
    expect(rsvps.body.items).toHaveLength(3);

    const csv = await get(`/events/${id}/rsvps?format=csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('rsvps.csv');
    const lines = csv.text.slice(1).trim().split('\n');
    expect(lines[0]).toBe('name,governorate,response,waitlisted,respondedAt,feedbackScore,feedbackText');
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringMatching(/^أمل,north-gaza,YES,false,\d{4}-/));
    expect(lines).toContainEqual('سلمى,hebron,,false,,,');
  });

  it('refuses bad input and unknown events', async () => {
    const REFUSED = { ...WORKSHOP, title: 'ورشة لن تُنشأ' };
    const missing = await post('/events', { ...REFUSED, place: undefined });
    expect(missing.status).toBe(400);
    const backwards = await post('/events', { ...REFUSED, endsAt: '2030-12-05 09:00' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('invalid_time');
    const past = await post('/events', { ...REFUSED, startsAt: '2020-01-01 10:00' });
    expect(past.body.error.code).toBe('invalid_time');
    const garbled = await post('/events', { ...REFUSED, startsAt: 'next Tuesday' });
    expect(garbled.body.error.code).toBe('invalid_time');
    expect((await post('/events', { ...REFUSED, audience: { kind: 'everyone' } })).status).toBe(400);
    expect((await post('/events', { ...REFUSED, capacity: 0 })).status).toBe(400);
    expect(await prisma().event.count({ where: { title: REFUSED.title } })).toBe(0);
    expect((await post('/events/nope/invitations')).status).toBe(404);
    expect((await get('/events/nope/rsvps')).status).toBe(404);
  });

  it('invites nobody to a draft of the coordinators’ chat or a cancelled event', async () => {
    await invitee('ev-5', 'north-gaza', 'أمل');
    const events = createEventService(prisma(), testServiceDeps());
    const now = new Date();
    const times = { startsAt: new Date('2030-12-05T08:00:00Z'), endsAt: new Date('2030-12-05T10:00:00Z') };
    const draft = await events.draft({ title: 'مسودة', place: 'غزة', ...times }, API, now);
    await events.setAudience(draft.id, { kind: 'all' }, API);
    const cancelled = await events.draft({ title: 'ملغاة', place: 'غزة', ...times }, API, now);
    await events.setAudience(cancelled.id, { kind: 'all' }, API);
    await events.cancelDraft(cancelled.id, API, now);
    for (const { id } of [draft, cancelled]) {
      const refused = await post(`/events/${id}/invitations`);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
    }
    const ids = [draft.id, cancelled.id];
    expect(await prisma().invitation.count({ where: { eventId: { in: ids } } })).toBe(0);
    const keys = ids.map((id) => ({ dedupeKey: { startsWith: `invite:${id}:` } }));
    expect(await prisma().outboxMessage.count({ where: { OR: keys } })).toBe(0);
  });
});
