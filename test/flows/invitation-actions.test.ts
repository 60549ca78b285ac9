import { describe, expect, it } from 'vitest';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { DAY_MS, labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { API, eventHelpers, workshop } from '../support/events.js';

const TITLE = 'ورشة التسويق الرقمي';

const h = useEngineHarness();
const { subscribers, noticeTo, pressOn, invitationOf } = eventHelpers(h);

/** A workshop three days after the harness's clock, invited to everyone subscribed. */
async function invitedWorkshop(capacity?: number, title = TITLE) {
  const now = new Date('2026-11-29T09:00:00Z');
  const { events } = h.services();
  const event = await events.create(workshop(now, { title, capacity }), API, now);
  await events.invite(event.id, API, now);
  return event;
}

describe('answering an invitation from its own buttons', () => {
  it('records each answer she presses, changes it on another press, and shows her menu again', async () => {
    const [amal] = (await subscribers('i1')) as [string];
    const event = await invitedWorkshop();
    const invitation = await noticeTo(amal, 'invitation');
    expect(labelsOf([invitation])).toEqual([
      h.ar('events:answer.yes'),
      h.ar('events:answer.maybe'),
      h.ar('events:answer.no'),
    ]);
    expect(invitation.text).toContain(h.ar('events:invitation.howTo'));

    const yes = await pressOn('i1', invitation, h.ar('events:answer.yes'));
    expect(textOf(yes)).toContain(TITLE);
    expect(textOf(yes)).toContain(h.ar('events:answer.saved.YES'));
    expect(labelsOf(yes)).toContain(h.ar('events:menu'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ response: 'YES', waitlistedAt: null });
    expect(await h.prisma.outboxMessage.count({ where: { kind: 'reminder' } })).toBe(2);

    const no = await pressOn('i1', invitation, h.ar('events:answer.no'));
    expect(textOf(no)).toContain(h.ar('events:answer.saved.NO'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ response: 'NO' });
    expect(await h.prisma.outboxMessage.count({ where: { kind: 'reminder', status: 'PENDING' } })).toBe(0);

    // Her answer shows in "my events", where she may change it too.
    await h.press('i1', h.ar('events:menu'));
    const shown = await h.press('i1', labelsOf(h.lastReplies('i1')).find((l) => l.startsWith(TITLE)) ?? '');
    expect(textOf(shown)).toContain(h.ar('events:answer.current.NO'));
  });

  it('keeps her half-posted product: the answer is said, then the same question with her data', async () => {
    const [salma] = (await subscribers('i1')) as [string];
    const cooperative = await seedCooperative(h.prisma);
    await seedMembership(h.prisma, salma, cooperative.id);
    const event = await invitedWorkshop();
    const p = (key: string) => h.ar(`products:${key}`);
    await h.send('i1', 'القائمة');
    await h.press('i1', p('menu.post'));
    await h.press('i1', p('fields.photos.skip'));
    await h.send('i1', 'زيت زيتون بلدي');
    await h.press('i1', p('categories.food'));
    const priceQuestion = await h.send('i1', 'عصرة أولى من أشجار بيت حانون');
    const before = await h.conversationOf('i1');

    const replies = await pressOn('i1', await noticeTo(salma, 'invitation'), h.ar('events:answer.yes'));
    expect(replies[0]?.text).toContain(h.ar('events:answer.saved.YES'));
    expect(replies.slice(1)).toEqual(priceQuestion);
    expect(await invitationOf(event.id, salma)).toMatchObject({ response: 'YES' });
    const after = await h.conversationOf('i1');
    expect(after).toMatchObject({ flow: before?.flow, step: before?.step, stepToken: before?.stepToken });
    expect(after?.data).toEqual(before?.data);

    // The question's own buttons still work: the press was no step of hers.
    await h.send('i1', '25');
    await h.press('i1', p('units.litre'));
    await h.press('i1', p('availability.available'));
    await h.press('i1', p('payment.cash'));
    const preview = await h.press('i1', p('fields.payment.done'));
    expect(textOf(preview)).toContain('زيت زيتون بلدي');
    expect(textOf(preview)).toContain('عصرة أولى من أشجار بيت حانون');
  });

  it('puts a yes beyond the capacity in line, and the freed place comes with the same buttons', async () => {
    const [amal, huda] = (await subscribers('i1', 'i2')) as [string, string];
    const event = await invitedWorkshop(1);
    await pressOn('i1', await noticeTo(amal, 'invitation'), h.ar('events:answer.yes'));
    const waiting = await pressOn('i2', await noticeTo(huda, 'invitation'), h.ar('events:answer.yes'));
    expect(textOf(waiting)).toContain(h.ar('events:answer.saved.waitlisted'));
    expect((await invitationOf(event.id, huda)).waitlistedAt).not.toBeNull();

    await pressOn('i1', await noticeTo(amal, 'invitation'), h.ar('events:answer.no'));
    expect((await invitationOf(event.id, huda)).waitlistedAt).toBeNull();
    const freed = await noticeTo(huda, 'notice');
    expect(freed.text).toContain(h.ar('events:placeFreed'));
    const declined = await pressOn('i2', freed, h.ar('events:answer.no'));
    expect(textOf(declined)).toContain(h.ar('events:answer.saved.NO'));
    expect(await invitationOf(event.id, huda)).toMatchObject({ response: 'NO', waitlistedAt: null });
  });

  it('refuses politely once the event started, recording nothing', async () => {
    const [amal] = (await subscribers('i1')) as [string];
    const event = await invitedWorkshop();
    h.advance(event.startsAt.getTime() - new Date('2026-11-29T09:00:00Z').getTime() + 60_000);
    const replies = await pressOn('i1', await noticeTo(amal, 'invitation'), h.ar('events:answer.yes'));
    expect(textOf(replies)).toContain(h.ar('events:errors.started'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ response: null, respondedAt: null });
  });

  it('answers a forged or foreign button as an unknown choice or an unknown event, recording nothing', async () => {
    const [amal] = (await subscribers('i1')) as [string];
    const event = await invitedWorkshop();
    const { events } = h.services();
    const other = await events.create(
      {
        title: 'لقاء آخر',
        place: 'نابلس',
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        audience: { kind: 'coordinators' },
      },
      API,
      new Date('2026-11-29T09:00:00Z'),
    );
    const press = (choiceId: string) => h.send('i1', { kind: 'choice', choiceId, token: 'act' });
    for (const id of [
      `act:my-events:perhaps:${event.id}`,
      `act:my-events:constructor:${event.id}`,
      'act:my-events:yes',
      `act:menu:yes:${event.id}`,
      `act:no-such-flow:yes:${event.id}`,
      `nav:menu:yes:${event.id}`,
    ]) {
      const replies = await press(id);
      expect(textOf(replies), id).toContain(h.ar('engine:unknownChoice'));
      expect(labelsOf(replies), id).toContain(h.ar('events:menu'));
    }
    expect(textOf(await press(`act:my-events:yes:${other.id}`))).toContain(h.ar('events:errors.not_found'));
    expect(await h.prisma.invitation.count({ where: { NOT: { response: null } } })).toBe(0);
    expect(await invitationOf(event.id, amal)).toMatchObject({ response: null });
  });

  it('after her question expired: the answer, then what an expired question always says', async () => {
    const [amal] = (await subscribers('i1')) as [string];
    const event = await invitedWorkshop();
    await h.send('i1', 'القائمة');
    await h.press('i1', h.ar('events:menu'));
    h.advance(DAY_MS + 60_000);
    const replies = await pressOn('i1', await noticeTo(amal, 'invitation'), h.ar('events:answer.maybe'));
    expect(textOf(replies)).toContain(h.ar('events:answer.saved.MAYBE'));
    expect(textOf(replies)).toContain(h.ar('engine:expired'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ response: 'MAYBE' });
    expect((await h.conversationOf('i1'))?.flow).toBe('menu');
  });
});
