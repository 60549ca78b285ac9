import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/generated/sqlite/client.js';
import { parseSendTime } from '../../src/i18n/gaza-time.js';
import type { Audience } from '../../src/services/broadcast-audience.js';
import { BROADCAST_TEXT_MAX, readBroadcastText } from '../../src/services/broadcast-messages.js';
import { BroadcastError } from '../../src/services/broadcasts.js';
import { CONFIG_ACTOR } from '../../src/services/coordinators.js';
import { createServices } from '../../src/services/index.js';
import { contactActor } from '../../src/services/memberships.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { testServiceDeps } from '../support/service-deps.js';

const NOW = new Date('2026-11-29T09:00:00Z');
const ADMIN_CHAT = '-1005555';
const API = { label: 'admin-token:test', channel: 'admin-api' };

type Address = { channel: string; externalId: string; lastInboundAt?: Date; unreachable?: boolean };
let seq = 0;
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

describe.each(['sqlite', 'postgresql'] as const)('broadcasts service on %s', (provider) => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase(provider);
  });
  afterEach(() => testDb.cleanup());

  const db = () => testDb.db.prisma;
  const services = () => createServices(db(), testServiceDeps({ adminChatId: ADMIN_CHAT, clock: () => NOW }));

  /** A contact with her addresses (a Telegram one, used a minute ago, unless told otherwise). */
  async function person(fields: Partial<Prisma.ContactUncheckedCreateInput> = {}, addresses?: Address[]) {
    const id = ++seq;
    const channels = addresses ?? [{ channel: 'telegram', externalId: `${id}`, lastInboundAt: at(1) }];
    return db().contact.create({
      data: { subscribed: true, ...fields, channels: { create: channels } },
      include: { channels: true },
    });
  }

  /** Creates and queues a broadcast through the service, as the admin API does; returns its id and rows. */
  async function broadcast(audience: Audience, text = { ar: 'خبر للجميع' }, options = {}) {
    const id = await db().$transaction(async (tx) => {
      const s = createServices(tx, testServiceDeps({ adminChatId: ADMIN_CHAT }));
      const { broadcast: draft } = await s.broadcasts.createDraft({ text, audience }, API, NOW);
      await s.broadcasts.queue(draft.id, API, NOW, options);
      return draft.id;
    });
    const rows = await db().outboxMessage.findMany({
      where: { broadcastId: id },
      include: { contactChannel: true },
    });
    return { id, rows, recipients: rows.map((r) => r.contactChannel?.contactId) };
  }

  it('reaches subscribers once each, on her latest reachable address; not the stopped, erased or blocked', async () => {
    const plain = await person();
    const twoAddresses = await person({}, [
      { channel: 'telegram', externalId: 'old', lastInboundAt: at(60) },
      { channel: 'web', externalId: 'session-new', lastInboundAt: at(2) },
    ]);
    const newestBlocked = await person({}, [
      { channel: 'telegram', externalId: 'blocked', lastInboundAt: at(1), unreachable: true },
      { channel: 'whatsapp-cloud', externalId: '970599000001', lastInboundAt: at(30) },
    ]);
    await person({ subscribed: false });
    await person({ erasedAt: at(5) });
    await person({}, [{ channel: 'telegram', externalId: 'gone', unreachable: true }]);

    expect(await services().broadcasts.countRecipients({ kind: 'all' })).toBe(3);
    const { rows, recipients } = await broadcast({ kind: 'all' });
    expect(recipients.sort()).toEqual([plain.id, twoAddresses.id, newestBlocked.id].sort());
    const addressOf = (contactId: string) => rows.find((r) => r.contactChannel?.contactId === contactId);
    expect(addressOf(twoAddresses.id)).toMatchObject({
      channel: 'web',
      contactChannel: { externalId: 'session-new' },
    });
    expect(addressOf(newestBlocked.id)?.channel).toBe('whatsapp-cloud');
    expect(rows.every((r) => r.kind === 'broadcast' && r.priority === 10 && r.status === 'PENDING')).toBe(
      true,
    );
    expect(rows.every((r) => r.notBefore.getTime() === NOW.getTime())).toBe(true);
  });

  it('tells members from buyers, and reaches coordinators whether subscribed or not', async () => {
    const approved = await seedCooperative(db(), { name: 'جمعية الزيتون', governorate: 'gaza' });
    const pending = await seedCooperative(db(), { name: 'جمعية قيد المراجعة', status: 'PENDING' });
    const member = await person();
    await seedMembership(db(), member.id, approved.id);
    const silentMember = await person({ subscribed: false });
    await seedMembership(db(), silentMember.id, approved.id);
    const waitingToJoin = await person();
    await seedMembership(db(), waitingToJoin.id, approved.id, { status: 'PENDING' });
    const ofPendingCooperative = await person();
    await seedMembership(db(), ofPendingCooperative.id, pending.id, { role: 'LEAD' });
    const buyer = await person();
    const coordinator = await person({ role: 'COORDINATOR' });
    const unsubscribedAdmin = await person({ role: 'ADMIN', subscribed: false });

    expect((await broadcast({ kind: 'members' })).recipients).toEqual([member.id]);
    expect((await broadcast({ kind: 'buyers' })).recipients.sort()).toEqual(
      [waitingToJoin.id, ofPendingCooperative.id, buyer.id].sort(),
    );
    expect((await broadcast({ kind: 'cooperative', id: approved.id })).recipients).toEqual([member.id]);
    expect((await broadcast({ kind: 'coordinators' })).recipients.sort()).toEqual(
      [coordinator.id, unsubscribedAdmin.id].sort(),
    );
    await expect(broadcast({ kind: 'cooperative', id: pending.id })).rejects.toMatchObject({
      code: 'unknown_cooperative',
    });
  });

  it("reaches a governorate's people by their own governorate or their cooperative's", async () => {
    const inGaza = await seedCooperative(db(), { governorate: 'gaza' });
    const inNablus = await seedCooperative(db(), { name: 'جمعية نابلس', governorate: 'nablus' });
    const saysGaza = await person({ governorate: 'gaza' });
    const memberInGaza = await person();
    await seedMembership(db(), memberInGaza.id, inGaza.id);
    const memberInNablus = await person({ governorate: 'gaza' });
    await seedMembership(db(), memberInNablus.id, inNablus.id);
    const hebron = await person({ governorate: 'hebron' });
    await person({ governorate: 'rafah' });

    const gaza = await broadcast({ kind: 'governorates', slugs: ['gaza'] });
    expect(gaza.recipients.sort()).toEqual([saysGaza.id, memberInGaza.id, memberInNablus.id].sort());
    const south = await broadcast({ kind: 'governorates', slugs: ['hebron', 'nablus'] });
    expect(south.recipients.sort()).toEqual([hebron.id, memberInNablus.id].sort());
  });

  it('writes in her language when the coordinator gave it, else Arabic, with how to stop the news', async () => {
    const english = await person({ locale: 'en' });
    const arabic = await person();
    const coordinator = await person({ locale: 'en', role: 'COORDINATOR' });
    const both = { ar: 'اجتماع غدًا', en: 'Meeting tomorrow' };
    const payloadOf = (
      rows: { payload: unknown; contactChannel: { contactId: string } | null }[],
      id: string,
    ) => rows.find((r) => r.contactChannel?.contactId === id)?.payload;

    const { rows } = await broadcast({ kind: 'all' }, both);
    expect(payloadOf(rows, english.id)).toEqual({
      text: 'Meeting tomorrow\n\nTo stop the news, send the word "stop".',
      locale: 'en',
    });
    expect(payloadOf(rows, arabic.id)).toEqual({
      text: 'اجتماع غدًا\n\nلإيقاف وصول الأخبار يكفي إرسال كلمة «إيقاف».',
      locale: 'ar',
    });
    const arabicOnly = await broadcast({ kind: 'all' }, { ar: 'خبر بالعربية فقط' });
    expect(payloadOf(arabicOnly.rows, english.id)).toMatchObject({ locale: 'ar' });
    expect((payloadOf(arabicOnly.rows, english.id) as { text: string }).text).toMatch(/^خبر بالعربية فقط/);
    const staff = await broadcast({ kind: 'coordinators' }, both);
    expect(payloadOf(staff.rows, coordinator.id)).toEqual({ text: 'Meeting tomorrow', locale: 'en' });
  });

  it('queues once: a second queue writes nothing, and the database refuses a double row', async () => {
    await person();
    await person();
    const { id, rows } = await broadcast({ kind: 'all' });
    expect(rows).toHaveLength(2);
    await expect(
      db().$transaction((tx) => createServices(tx, testServiceDeps()).broadcasts.queue(id, API, NOW)),
    ).rejects.toMatchObject({ code: 'not_draft' });
    const [first] = rows;
    await expect(
      db().outboxMessage.create({
        data: {
          broadcastId: id,
          contactChannelId: first?.contactChannelId,
          kind: 'broadcast',
          channel: 'telegram',
          payload: {},
        },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    expect(await db().outboxMessage.count({ where: { broadcastId: id } })).toBe(2);
    expect(await db().auditLog.count({ where: { action: 'broadcast.queue', targetId: id } })).toBe(1);
  });

  it('refuses an audience nobody in it can be reached, and a draft without an audience', async () => {
    await person({ subscribed: false });
    await expect(broadcast({ kind: 'all' })).rejects.toBeInstanceOf(BroadcastError);
    expect(await db().broadcast.count()).toBe(0);
    const { broadcast: draft } = await services().broadcasts.createDraft({ text: { ar: 'نص' } }, API, NOW);
    await expect(services().broadcasts.queue(draft.id, API, NOW)).rejects.toMatchObject({
      code: 'no_audience',
    });
  });

  it('writes a draft only with words, trimmed, within the limit in each language', async () => {
    const { broadcasts } = services();
    const tooLong = 'خ'.repeat(BROADCAST_TEXT_MAX + 1);
    for (const text of [{ ar: '   ' }, { ar: tooLong }, { ar: 'خبر', en: '' }])
      await expect(broadcasts.createDraft({ text }, API, NOW)).rejects.toMatchObject({
        code: 'invalid_text',
      });
    expect(await db().broadcast.count()).toBe(0);
    const { broadcast } = await broadcasts.createDraft({ text: { ar: '  خبر  ', en: ' news ' } }, API, NOW);
    expect(broadcast.text).toEqual({ ar: 'خبر', en: 'news' });
    expect(readBroadcastText(` ${tooLong.slice(1)} `)).toEqual({ ok: true, text: tooLong.slice(1) });
    expect(readBroadcastText(tooLong)).toEqual({ ok: false, error: 'tooLong' });
    expect(readBroadcastText('\n')).toEqual({ ok: false, error: 'textMissing' });
  });

  it('lets only coordinators (or an admin token) broadcast', async () => {
    const member = await person();
    const coordinator = await person({ role: 'COORDINATOR' });
    const draft = { text: { ar: 'نص' }, audience: { kind: 'all' as const } };
    await expect(
      services().broadcasts.createDraft(draft, contactActor(member.id, 'web'), NOW),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const made = await services().broadcasts.createDraft(draft, contactActor(coordinator.id, 'web'), NOW);
    expect(made.broadcast.authorId).toBe(coordinator.id);
    expect((await services().broadcasts.createDraft(draft, CONFIG_ACTOR, NOW)).created).toBe(true);
  });

  it('gives the same broadcast for the same request key, and another for another key', async () => {
    const draft = { text: { ar: 'نص' }, audience: { kind: 'all' as const } };
    const first = await services().broadcasts.createDraft(draft, API, NOW, 'key-1');
    const again = await services().broadcasts.createDraft(draft, API, NOW, 'key-1');
    const other = await services().broadcasts.createDraft(draft, API, NOW, 'key-2');
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, broadcast: { id: first.broadcast.id } });
    expect(other.broadcast.id).not.toBe(first.broadcast.id);
    expect(first.broadcast.id).toHaveLength(25);
  });

  it('cancels what is not sent: pending rows skipped, sent ones kept, the broadcast CANCELLED', async () => {
    for (let i = 0; i < 4; i++) await person();
    const { id, rows } = await broadcast({ kind: 'all' });
    await db().outboxMessage.update({ where: { id: rows[0]?.id }, data: { status: 'SENT', sentAt: NOW } });
    const view = await services().broadcasts.cancel(id, API, NOW);
    expect(view).toMatchObject({
      status: 'CANCELLED',
      counts: { pending: 0, sent: 1, skipped: 3, failed: 0, total: 4 },
    });
    const skipped = await db().outboxMessage.findMany({ where: { broadcastId: id, status: 'SKIPPED' } });
    expect(skipped.map((r) => r.lastError)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    await expect(services().broadcasts.cancel(id, API, NOW)).rejects.toMatchObject({ code: 'finished' });
  });

  it('holds a scheduled broadcast until its time, then moves it to SENDING and DONE with a report', async () => {
    await person();
    await person({}, [{ channel: 'web', externalId: 'quiet-session', lastInboundAt: at(3) }]);
    const sendAt = new Date(NOW.getTime() + 9 * 3_600_000);
    const { id, rows } = await broadcast({ kind: 'all' }, undefined, {
      scheduledAt: sendAt,
      progressChatId: ADMIN_CHAT,
    });
    expect(rows.every((r) => r.notBefore.getTime() === sendAt.getTime())).toBe(true);
    const telegramRow = rows.find((r) => r.channel === 'telegram');
    const later = new Date(sendAt.getTime() + 60_000);
    const finish = (now: Date) =>
      db().$transaction((tx) => createServices(tx, testServiceDeps()).broadcasts.finishIfDone(id, now));

    expect(await finish(NOW)).toBe('QUEUED');
    await db().outboxMessage.update({ where: { id: telegramRow?.id }, data: { status: 'SENDING' } });
    expect(await finish(later)).toBe('SENDING');
    await db().outboxMessage.update({ where: { id: telegramRow?.id }, data: { status: 'SENT' } });
    // The web chat's message waits for its page: it does not hold the broadcast open.
    expect(await finish(later)).toBe('DONE');
    expect(await finish(later)).toBe('DONE');
    const reports = await db().outboxMessage.findMany({ where: { kind: 'broadcast-report' } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ chatId: ADMIN_CHAT, channel: 'telegram' });
    expect((reports[0]?.payload as { text?: string } | undefined)?.text).toContain('وصل إلى 1 من أصل شخصين');
    expect(await services().broadcasts.view(id)).toMatchObject({
      counts: { sent: 1, pending: 1, web: 1, total: 2 },
    });
  });
});

describe('send times in Gaza', () => {
  const now = new Date('2026-11-29T09:00:00Z'); // 11:00 in Gaza (UTC+2 in winter)

  it.each([
    ['18:00', '2026-11-29T16:00:00.000Z'],
    ['١٨:٣٠', '2026-11-29T16:30:00.000Z'],
    ['2026-12-01 18:00', '2026-12-01T16:00:00.000Z'],
    ['2027-07-01 18:00', '2027-07-01T15:00:00.000Z'], // summer time, UTC+3
  ])('reads %s', (text, expected) => {
    expect(parseSendTime(text, now)).toEqual({ ok: true, value: new Date(expected) });
  });

  it.each([
    ['10:59', 'past'],
    ['2026-11-28 18:00', 'past'],
    ['25:00', 'invalid'],
    ['2026-02-30 10:00', 'invalid'],
    ['بكرة', 'invalid'],
  ])('refuses %s (%s)', (text, error) => {
    expect(parseSendTime(text, now)).toEqual({ ok: false, error });
  });
});
