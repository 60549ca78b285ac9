import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type OutboxRow } from '../../src/dispatch/dispatcher.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { API, eventHelpers, HOUR, workshop } from '../support/events.js';
import { onboardMember } from '../support/onboarding.js';

const ADMIN_CHAT = '-100777';

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });
const { subscribers, invitationOf } = eventHelpers(h);

/** A workshop three days after the harness's clock, invited to everyone subscribed. */
async function invitedWorkshop(capacity?: number) {
  const now = new Date('2026-11-29T09:00:00Z');
  const { events } = h.services();
  const event = await events.create(workshop(now, { capacity }), API, now);
  const counts = await events.invite(event.id, API, now);
  return { event, counts, now };
}

/** From the main menu, "my events" → the event (`shown`) → an answer (`saved`: the replies to it). */
async function answer(user: string, title: string, label: string) {
  await h.send(user, h.ar('engine:nav.menu'));
  await h.press(user, h.ar('events:menu'));
  const event = labelsOf(h.lastReplies(user)).find((l) => l.startsWith(title));
  if (!event) throw new Error(`no event "${title}" in my events`);
  const shown = await h.press(user, event);
  return { shown, saved: await h.press(user, label) };
}

const rowsOf = (prefix: string) =>
  h.prisma.outboxMessage.findMany({
    where: { dedupeKey: { startsWith: prefix } },
    orderBy: { dedupeKey: 'asc' },
  });

describe('events: invitations, answers, waiting list, reminders and feedback', () => {
  it('invites the audience with one expiring outbox message each, once, and posts a summary', async () => {
    const [amal, huda] = await subscribers('e1', 'e2');
    await onboardMember(h, 'e3'); // wants no news: not in the audience
    const { event, counts } = await invitedWorkshop();
    expect(counts).toEqual({ invited: 2, total: 2 });
    const rows = await rowsOf(`invite:${event.id}:`);
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual(
      [`invite:${event.id}:${amal}`, `invite:${event.id}:${huda}`].sort(),
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        kind: 'invitation',
        priority: 3,
        expiresAt: event.startsAt,
        status: 'PENDING',
      });
      const text = (row.payload as { text: string }).text;
      expect(text).toContain('ورشة التسويق الرقمي');
      expect(text).toContain(h.ar('events:invitation.howTo'));
    }
    expect(await h.services().events.invite(event.id, API, new Date('2026-11-29T10:00:00Z'))).toEqual({
      invited: 0,
      total: 2,
    });
    expect(await h.prisma.outboxMessage.count({ where: { kind: 'invitation' } })).toBe(2);
    const summary = await h.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: ADMIN_CHAT } });
    expect((summary.payload as { text: string }).text).toContain(
      h.ar('events:summary.invited', { count: 2 }),
    );
  });

  it('takes her answer from "my events", schedules reminders, and skips them when she declines', async () => {
    const [amal] = await subscribers('e1');
    const { event } = await invitedWorkshop();
    const yes = await answer('e1', event.title, h.ar('events:answer.yes'));
    expect(textOf(yes.shown)).toContain(h.ar('events:answer.current.none'));
    expect(textOf(yes.saved)).toContain(h.ar('events:answer.saved.YES'));
    expect(await invitationOf(event.id, amal as string)).toMatchObject({
      response: 'YES',
      waitlistedAt: null,
    });
    const start = event.startsAt.getTime();
    const scheduled = await rowsOf(`reminder:${event.id}:${amal}:`);
    expect(
      scheduled.map((r) => [r.dedupeKey?.split(':').at(-1), r.notBefore.getTime(), r.expiresAt]),
    ).toEqual([
      ['24h', start - 24 * HOUR, event.startsAt],
      ['2h', start - 2 * HOUR, event.startsAt],
    ]);
    const [feedback] = await rowsOf(`feedback:${event.id}:${amal}`);
    expect(feedback).toMatchObject({ kind: 'feedback', notBefore: event.endsAt, status: 'PENDING' });

    const again = await answer('e1', event.title, h.ar('events:answer.no'));
    expect(textOf(again.shown)).toContain(h.ar('events:answer.current.YES'));
    expect(textOf(again.saved)).toContain(h.ar('events:answer.saved.NO'));
    expect(await invitationOf(event.id, amal as string)).toMatchObject({ response: 'NO' });
    const after = [...(await rowsOf(`reminder:${event.id}:`)), ...(await rowsOf(`feedback:${event.id}:`))];
    expect(after.map((r) => [r.status, r.lastError])).toEqual(Array(3).fill(['SKIPPED', 'declined']));

    await answer('e1', event.title, h.ar('events:answer.maybe'));
    const maybe = [...(await rowsOf(`reminder:${event.id}:`)), ...(await rowsOf(`feedback:${event.id}:`))];
    expect(maybe.map((r) => r.status)).toEqual(['PENDING', 'PENDING', 'SKIPPED']);
  });

  it('puts a yes beyond the capacity on the waiting list and gives a freed place to the first', async () => {
    const [, huda, salma] = await subscribers('e1', 'e2', 'e3');
    const { event } = await invitedWorkshop(1);
    await answer('e1', event.title, h.ar('events:answer.yes'));
    const waiting = await answer('e2', event.title, h.ar('events:answer.yes'));
    expect(textOf(waiting.saved)).toContain(h.ar('events:answer.saved.waitlisted'));
    h.advance(60_000);
    await answer('e3', event.title, h.ar('events:answer.yes'));
    expect((await invitationOf(event.id, huda as string)).waitlistedAt).not.toBeNull();
    expect(await rowsOf(`reminder:${event.id}:${huda}`)).toEqual([]);

    await answer('e1', event.title, h.ar('events:answer.no'));
    expect((await invitationOf(event.id, huda as string)).waitlistedAt).toBeNull();
    expect((await invitationOf(event.id, salma as string)).waitlistedAt).not.toBeNull();
    const told = await h.prisma.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: `event-place:${event.id}:${huda}` } },
    });
    expect((told.payload as { text: string }).text).toContain(h.ar('events:placeFreed'));
    expect(await rowsOf(`reminder:${event.id}:${huda}`)).toHaveLength(2);
    const { counts } = await h.services().events.rsvps(event.id);
    expect(counts).toMatchObject({ invited: 3, yes: 1, waitlisted: 1, no: 1 });
    // One summary per hour, sent at its end with the counts as they are then.
    const hourly = await h.prisma.outboxMessage.findMany({
      where: { chatId: ADMIN_CHAT, dedupeKey: { not: `event-summary:${event.id}:invited` } },
    });
    expect(hourly.map((r) => r.notBefore)).toEqual([new Date('2026-11-29T10:00:00Z')]);
    expect(hourly.map((r) => (r.payload as { text: string }).text).join()).toContain(
      h.ar('events:summary.counts', { yes: 1, maybe: 0, no: 1, pending: 0 }),
    );
  });

  it('does not send an invitation once the event has started, nor invite to it', async () => {
    await subscribers('e1');
    const { event } = await invitedWorkshop();
    const sent: OutboxRow[] = [];
    const dispatcher = createDispatcher({
      prisma: h.prisma,
      senders: {
        web: {
          send: async (row) => {
            sent.push(row);
            return {};
          },
        },
      },
      logger: pino({ level: 'silent' }),
      clock: () => new Date(event.startsAt.getTime() + 60_000),
      rates: {},
    });
    await dispatcher.runOnce();
    const [row] = await rowsOf(`invite:${event.id}:`);
    expect(row).toMatchObject({ status: 'SKIPPED', lastError: 'expired' });
    expect(sent.filter((r) => r.kind === 'invitation')).toEqual([]);
    await expect(h.services().events.invite(event.id, API, event.startsAt)).rejects.toMatchObject({
      code: 'started',
    });
  });

  it('asks those who held a place for feedback after the end and stores score and comment', async () => {
    const [amal, huda] = await subscribers('e1', 'e2');
    const { event } = await invitedWorkshop();
    await answer('e1', event.title, h.ar('events:answer.yes'));
    await answer('e2', event.title, h.ar('events:answer.yes'));
    h.advance(76 * HOUR);
    await h.send('e1', h.ar('engine:nav.menu'));
    await h.press('e1', h.ar('events:menu'));
    const ask = await h.press('e1', h.ar('events:feedback.entry', { title: event.title }));
    const star = (score: number) => h.ar('events:feedback.button', { score });
    expect(labelsOf(ask)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5].map(star)));
    expect(textOf(await h.press('e1', star(4)))).toContain(h.ar('events:feedback.comment'));
    expect(textOf(await h.send('e1', 'ورشة مفيدة جدًا'))).toContain(h.ar('events:feedback.thanks'));
    expect(await invitationOf(event.id, amal as string)).toMatchObject({
      feedbackScore: 4,
      feedbackText: 'ورشة مفيدة جدًا',
      attended: true,
    });

    await h.send('e2', h.ar('engine:nav.menu'));
    await h.press('e2', h.ar('events:menu'));
    await h.press('e2', h.ar('events:feedback.entry', { title: event.title }));
    const typed = await h.send('e2', 'ممتازة');
    expect(textOf(typed)).toContain(h.ar('events:feedback.scoreOnly'));
    await h.press('e2', star(5));
    await h.press('e2', h.ar('events:feedback.skip'));
    expect(await invitationOf(event.id, huda as string)).toMatchObject({
      feedbackScore: 5,
      feedbackText: null,
    });
    const menu = await h.send('e2', h.ar('engine:nav.menu'));
    expect(labelsOf(menu)).not.toContain(h.ar('events:menu'));
  });
});
