import { ACTION_TOKEN, actionChoice, type Locale } from '../core/flow.js';
import type { Choice, OutboundMessage } from '../core/message.js';
import type { Event, RsvpResponse } from '../generated/sqlite/client.js';
import { isolate } from '../i18n/bidi.js';
import { formatDateTime } from '../i18n/format.js';
import type { Translate } from '../i18n/i18n.js';
import { governorateName } from './cooperative-messages.js';

/** Answers to an invitation tallied: `yes` holds a place, `waitlisted` said yes beyond the capacity. */
export interface RsvpCounts {
  invited: number;
  yes: number;
  waitlisted: number;
  maybe: number;
  no: number;
  pending: number;
}

/** The same tally for the invitees of one governorate (null: neither she nor her cooperative gave one). */
export interface GovernorateCounts extends RsvpCounts {
  governorate: string | null;
}

/** The event's title, time and place as lines of a message. */
export function eventDetails(t: Translate, locale: Locale, event: Event): string {
  const lines = [
    `📅 ${isolate(event.title)}`,
    t('events:details.when', { when: formatDateTime(event.startsAt, locale) }),
    t('events:details.place', { place: isolate(event.place) }),
  ];
  if (event.description) lines.push('', event.description);
  return lines.join('\n');
}

/** The flow that takes her answers, from its menu entry or from an invitation's buttons. */
export const MY_EVENTS_FLOW = 'my-events';

/** Her answers by the key their buttons carry; each is labelled `events:answer.<key>`. */
export const RSVP_ANSWERS: Readonly<Record<string, RsvpResponse>> = { yes: 'YES', maybe: 'MAYBE', no: 'NO' };

/** Attend / maybe / decline as choices whose ids are the answer keys. */
export const rsvpChoices = (t: Translate): Choice[] =>
  Object.keys(RSVP_ANSWERS).map((key) => ({ id: key, label: t(`events:answer.${key}`) }));

/** The same choices on a notice: pressed at any step, they answer this event (`<key>:<eventId>`). */
const rsvpActions = (t: Translate, event: Event) => ({
  choices: rsvpChoices(t).map((c) => actionChoice(MY_EVENTS_FLOW, `${c.id}:${event.id}`, c.label)),
  choiceToken: ACTION_TOKEN,
});

/**
 * The invitation an invitee receives: the event, and her answer as buttons (or from "my events").
 * How to answer goes before the description, so a WhatsApp template (no buttons, its text clipped)
 * still carries it.
 */
export const invitationMessage = (t: Translate, locale: Locale, event: Event): OutboundMessage => ({
  text: [
    t('events:invitation.title'),
    eventDetails(t, locale, { ...event, description: null }),
    '',
    t('events:invitation.howTo'),
    ...(event.description ? ['', event.description] : []),
  ].join('\n'),
  locale,
  ...rsvpActions(t, event),
});

/** A reminder `hours` before the start. */
export const reminderMessage = (
  t: Translate,
  locale: Locale,
  event: Event,
  hours: number,
): OutboundMessage => ({
  text: [t('events:reminder', { count: hours }), eventDetails(t, locale, event)].join('\n'),
});

/** Scores from 1 (poor) to 5 (excellent) as choices whose ids are the scores. */
export const scoreChoices = (t: Translate): Choice[] =>
  [1, 2, 3, 4, 5].map((score) => ({ id: String(score), label: t('events:feedback.button', { score }) }));

/** A score button on the feedback notice carries `<SCORE_ACTION><score>:<eventId>`. */
export const SCORE_ACTION = 'score';

/**
 * After the end: the question for a score, pressed on the notice itself (at any step), and where to
 * add a comment. The text alone still says where to rate, for a WhatsApp template without buttons.
 */
export const feedbackMessage = (t: Translate, event: Event): OutboundMessage => ({
  text: t('events:feedback.ask', { title: isolate(event.title) }),
  choices: scoreChoices(t).map((c) =>
    actionChoice(MY_EVENTS_FLOW, `${SCORE_ACTION}${c.id}:${event.id}`, c.label),
  ),
  choiceToken: ACTION_TOKEN,
});

/** To the first on the waiting list when a place is freed. */
export const placeFreedMessage = (t: Translate, locale: Locale, event: Event): OutboundMessage => ({
  text: [t('events:placeFreed'), eventDetails(t, locale, event)].join('\n'),
  ...rsvpActions(t, event),
});

const countsLine = (t: Translate, c: RsvpCounts) =>
  t('events:summary.counts', { yes: c.yes, maybe: c.maybe, no: c.no, pending: c.pending });

/** The coordinators' summary: the answers in all and by governorate. */
export function summaryMessage(
  t: Translate,
  locale: Locale,
  event: Event,
  counts: RsvpCounts,
  byGovernorate: GovernorateCounts[],
): OutboundMessage {
  const lines = [
    t('events:summary.title', { title: isolate(event.title) }),
    t('events:summary.invited', { count: counts.invited }),
    countsLine(t, counts),
  ];
  if (counts.waitlisted > 0) lines.push(t('events:summary.waitlisted', { count: counts.waitlisted }));
  lines.push('', t('events:summary.byGovernorate'));
  for (const g of byGovernorate) {
    const name = g.governorate ? governorateName(g.governorate, locale) : t('events:summary.unknownPlace');
    lines.push(`• ${name}: ${countsLine(t, g)}`);
  }
  return { text: lines.join('\n') };
}
