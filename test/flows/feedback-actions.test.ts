import { describe, expect, it } from 'vitest';
import { isolate } from '../../src/i18n/bidi.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { DAY_MS, labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { API, eventHelpers, HOUR, workshop } from '../support/events.js';

const TITLE = 'ورشة التسويق الرقمي';
/** The harness's clock when the workshop is created; it starts 72 h later and lasts 3 h. */
const CREATED = new Date('2026-11-29T09:00:00Z');
const ENDED = 75 * HOUR + 60_000;

const h = useEngineHarness();
const { subscribers, noticeTo, pressOn, invitationOf } = eventHelpers(h);
const star = (score: number) => h.ar('events:feedback.button', { score });

/** A workshop invited to everyone subscribed; `attending` press "attend" on their invitation. */
async function workshopWith(attending: Record<string, string>) {
  const { events } = h.services();
  const event = await events.create(workshop(CREATED, { title: TITLE }), API, CREATED);
  await events.invite(event.id, API, CREATED);
  for (const [user, contactId] of Object.entries(attending))
    await pressOn(user, await noticeTo(contactId, 'invitation'), h.ar('events:answer.yes'));
  return event;
}

/** "My events" from the menu: what it lists. */
async function myEvents(user: string) {
  await h.send(user, h.ar('engine:nav.menu'));
  return h.press(user, h.ar('events:menu'));
}

describe('rating an event from the feedback notice', () => {
  it('records the pressed score, changes it on another press, then takes her comment from "my events"', async () => {
    const [amal] = (await subscribers('f1')) as [string];
    const event = await workshopWith({ f1: amal });
    const notice = await noticeTo(amal, 'feedback');
    expect(labelsOf([notice])).toEqual([1, 2, 3, 4, 5].map(star));
    // Sent by template (no buttons), the text alone still says where to rate.
    expect(notice.text).toContain(h.ar('events:menu'));
    h.advance(ENDED);

    const rated = await pressOn('f1', notice, star(4));
    expect(textOf(rated)).toContain(h.ar('events:feedback.rated', { title: isolate(TITLE), score: 4 }));
    expect(textOf(rated)).toContain(h.ar('events:menu'));
    expect(labelsOf(rated)).toContain(h.ar('events:menu'));
    expect(await invitationOf(event.id, amal)).toMatchObject({
      feedbackScore: 4,
      feedbackText: null,
      feedbackAt: null,
      attended: true,
    });
    await pressOn('f1', notice, star(2));
    expect(await invitationOf(event.id, amal)).toMatchObject({ feedbackScore: 2, feedbackAt: null });

    const list = await myEvents('f1');
    expect(labelsOf(list)).toContain(h.ar('events:feedback.commentEntry', { title: TITLE }));
    expect(labelsOf(list)).not.toContain(h.ar('events:feedback.entry', { title: TITLE }));
    const ask = await h.press('f1', h.ar('events:feedback.commentEntry', { title: TITLE }));
    expect(textOf(ask)).toContain(h.ar('events:feedback.comment'));
    expect(textOf(await h.send('f1', 'ورشة مفيدة'))).toContain(h.ar('events:feedback.thanks'));
    const commented = await invitationOf(event.id, amal);
    expect(commented).toMatchObject({ feedbackScore: 2, feedbackText: 'ورشة مفيدة' });
    expect(commented.feedbackAt).not.toBeNull();
    expect(labelsOf(await h.send('f1', h.ar('engine:nav.menu')))).not.toContain(h.ar('events:menu'));

    // A later press still changes the score; her comment stays.
    await pressOn('f1', notice, star(5));
    expect(await invitationOf(event.id, amal)).toMatchObject({
      feedbackScore: 5,
      feedbackText: 'ورشة مفيدة',
    });
  });

  it('keeps her half-posted product: the thanks, then the same question with her data', async () => {
    const [salma] = (await subscribers('f1')) as [string];
    const cooperative = await seedCooperative(h.prisma);
    await seedMembership(h.prisma, salma, cooperative.id);
    const event = await workshopWith({ f1: salma });
    h.advance(ENDED);
    const p = (key: string) => h.ar(`products:${key}`);
    await h.send('f1', 'القائمة');
    await h.press('f1', p('menu.post'));
    await h.press('f1', p('fields.photos.skip'));
    await h.send('f1', 'زيت زيتون بلدي');
    await h.press('f1', p('categories.food'));
    const priceQuestion = await h.send('f1', 'عصرة أولى');
    const before = await h.conversationOf('f1');

    const replies = await pressOn('f1', await noticeTo(salma, 'feedback'), star(3));
    expect(replies[0]?.text).toContain(TITLE);
    expect(replies.slice(1)).toEqual(priceQuestion);
    expect(await invitationOf(event.id, salma)).toMatchObject({ feedbackScore: 3 });
    const after = await h.conversationOf('f1');
    expect(after).toMatchObject({ flow: before?.flow, step: before?.step, stepToken: before?.stepToken });
    expect(after?.data).toEqual(before?.data);
  });

  it('a skipped comment ends the offer, and an uncommented rating is offered for 14 days only', async () => {
    const [amal, huda] = (await subscribers('f1', 'f2')) as [string, string];
    const event = await workshopWith({ f1: amal, f2: huda });
    h.advance(ENDED);
    await pressOn('f1', await noticeTo(amal, 'feedback'), star(5));
    await pressOn('f2', await noticeTo(huda, 'feedback'), star(1));

    await myEvents('f1');
    await h.press('f1', h.ar('events:feedback.commentEntry', { title: TITLE }));
    await h.press('f1', h.ar('events:feedback.skip'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ feedbackScore: 5, feedbackText: null });
    expect(labelsOf(await h.send('f1', h.ar('engine:nav.menu')))).not.toContain(h.ar('events:menu'));

    h.advance(13 * DAY_MS);
    expect(labelsOf(await myEvents('f2'))).toContain(h.ar('events:feedback.commentEntry', { title: TITLE }));
    h.advance(2 * DAY_MS);
    expect(labelsOf(await h.send('f2', h.ar('engine:nav.menu')))).not.toContain(h.ar('events:menu'));
    expect(await invitationOf(event.id, huda)).toMatchObject({ feedbackScore: 1, feedbackAt: null });
  });

  it('refuses politely before the end and without a place, recording nothing', async () => {
    const [amal, huda] = (await subscribers('f1', 'f2')) as [string, string];
    const event = await workshopWith({ f1: amal });
    const notice = await noticeTo(amal, 'feedback');
    const early = await pressOn('f1', notice, star(4));
    expect(textOf(early)).toContain(h.ar('events:errors.not_ended'));

    h.advance(ENDED);
    // Huda never answered: she holds no place, and got no notice; a press with the event's id is refused.
    const scoreButton = notice.choices?.find((c) => c.label === star(4))?.id ?? '';
    const foreign = await h.send('f2', { kind: 'choice', choiceId: scoreButton, token: 'act' });
    expect(textOf(foreign)).toContain(h.ar('events:errors.not_invited'));
    expect(await invitationOf(event.id, amal)).toMatchObject({ feedbackScore: null, attended: null });
    expect(await invitationOf(event.id, huda)).toMatchObject({ feedbackScore: null, attended: null });
  });

  it('answers a forged score button as an unknown choice, and an unknown event as not found', async () => {
    const [amal] = (await subscribers('f1')) as [string];
    const event = await workshopWith({ f1: amal });
    h.advance(ENDED);
    const press = (choiceId: string) => h.send('f1', { kind: 'choice', choiceId, token: 'act' });
    for (const id of [
      `act:my-events:score0:${event.id}`,
      `act:my-events:score6:${event.id}`,
      `act:my-events:score33:${event.id}`,
      `act:my-events:score:${event.id}`,
      `act:my-events:score-1:${event.id}`,
      'act:my-events:score3',
    ]) {
      const replies = await press(id);
      expect(textOf(replies), id).toContain(h.ar('engine:unknownChoice'));
      expect(labelsOf(replies), id).toContain(h.ar('events:menu'));
    }
    expect(textOf(await press('act:my-events:score3:no-such-event'))).toContain(
      h.ar('events:errors.not_found'),
    );
    expect(await invitationOf(event.id, amal)).toMatchObject({ feedbackScore: null });
  });
});
