import { type Flow, type StepContext, type StepResult, say } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import type { RsvpResponse } from '../generated/sqlite/client.js';
import { isolate } from '../i18n/bidi.js';
import { formatDate } from '../i18n/format.js';
import {
  eventDetails,
  MY_EVENTS_FLOW,
  RSVP_ANSWERS,
  rsvpChoices,
  SCORE_ACTION,
  scoreChoices,
} from '../services/event-messages.js';
import { EventError } from '../services/events.js';

const FEEDBACK_MAX = 1000;

const upcoming = (ctx: StepContext) => ctx.services.events.upcoming(ctx.contact.id, ctx.now);
const awaitingFeedback = (ctx: StepContext) => ctx.services.events.awaitingFeedback(ctx.contact.id, ctx.now);
const eventId = (ctx: StepContext) => String(ctx.data.eventId);

/** What the service refused, in her words. */
function refusal(ctx: StepContext, err: unknown): string {
  if (!(err instanceof EventError)) throw err;
  return ctx.t(`events:errors.${err.code}`);
}

/** The same, and back to the menu. */
const refused = (ctx: StepContext, err: unknown): StepResult => ({
  kind: 'done',
  say: say(refusal(ctx, err)),
});

/** A score button's key (`score3`) as its score, or undefined for anything else. */
function scoreOf(key: string): number | undefined {
  const score = key.startsWith(SCORE_ACTION) ? key.slice(SCORE_ACTION.length) : '';
  return /^[1-5]$/.test(score) ? Number(score) : undefined;
}

/** Records her score from the feedback notice, and says where to add a comment; or why it was not. */
async function rate(ctx: StepContext, eventId: string, score: number): Promise<OutboundMessage[]> {
  try {
    const event = await ctx.services.events.rate(ctx.contact.id, eventId, score, ctx.now);
    return say(ctx.t('events:feedback.rated', { title: isolate(event.title), score }));
  } catch (err) {
    return say(refusal(ctx, err));
  }
}

/** Records her answer; what was recorded (a yes may wait in line), or why it was not. */
async function respond(ctx: StepContext, eventId: string, response: RsvpResponse): Promise<string> {
  try {
    const outcome = await ctx.services.events.respond(ctx.contact.id, eventId, response, ctx.now);
    return ctx.t(`events:answer.saved.${outcome.waitlisted ? 'waitlisted' : outcome.response}`);
  } catch (err) {
    return refusal(ctx, err);
  }
}

async function sendFeedback(ctx: StepContext, text: string | null): Promise<StepResult> {
  try {
    await ctx.services.events.feedback(ctx.contact.id, eventId(ctx), Number(ctx.data.score), text, ctx.now);
  } catch (err) {
    return refused(ctx, err);
  }
  return { kind: 'done', say: say(ctx.t('events:feedback.thanks')) };
}

/**
 * "My events", for anyone invited: her coming events (answer attend / maybe / decline, and change it
 * until the start) and the ended ones awaiting her feedback (1–5, then a comment or skip; only the
 * comment when she rated by button). The buttons of an invitation and of a feedback notice answer too
 * (`actions`), at whatever step she is.
 */
export const myEventsFlow: Flow = {
  id: MY_EVENTS_FLOW,
  start: 'list',
  /**
   * `<answer>:<eventId>` from an invitation: an event she is not invited to (or not open) is not found.
   * `score<n>:<eventId>` from a feedback notice.
   */
  async actions(ctx, arg) {
    const [key = '', id] = arg.split(':');
    const score = scoreOf(key);
    if (score && id) return rate(ctx, id, score);
    const response = Object.hasOwn(RSVP_ANSWERS, key) ? RSVP_ANSWERS[key] : undefined;
    if (!response || !id) return null;
    const invitation = (await upcoming(ctx)).find((i) => i.eventId === id);
    if (!invitation) return say(ctx.t('events:errors.not_found'));
    return say([`📅 ${isolate(invitation.event.title)}`, await respond(ctx, id, response)].join('\n'));
  },
  menu: {
    labelKey: 'events:menu',
    order: 35,
    visible: (ctx) => ctx.services.events.hasAny(ctx.contact.id, ctx.now),
  },
  steps: {
    list: {
      async prompt(ctx) {
        const any = (await upcoming(ctx)).length + (await awaitingFeedback(ctx)).length > 0;
        return say(ctx.t(any ? 'events:list' : 'events:none'));
      },
      choices: async (ctx) => [
        ...(await upcoming(ctx)).map((i) => ({
          id: `e:${i.eventId}`,
          label: `${i.event.title} — ${formatDate(i.event.startsAt, ctx.locale)}`,
        })),
        ...(await awaitingFeedback(ctx)).map((i) => ({
          id: `f:${i.eventId}`,
          label: ctx.t(`events:feedback.${i.feedbackScore ? 'commentEntry' : 'entry'}`, {
            title: i.event.title,
          }),
        })),
      ],
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        const [kind, id] = input.choiceId.split(':');
        if (kind !== 'f') return { kind: 'goto', step: 'answer', data: { eventId: id } };
        // Rated by button: only the comment is left, stored with that score.
        const score = (await awaitingFeedback(ctx)).find((i) => i.eventId === id)?.feedbackScore;
        return score
          ? { kind: 'goto', step: 'comment', data: { eventId: id, score } }
          : { kind: 'goto', step: 'score', data: { eventId: id } };
      },
    },
    answer: {
      async prompt(ctx) {
        const invitation = (await upcoming(ctx)).find((i) => i.eventId === eventId(ctx));
        if (!invitation) return say(ctx.t('events:errors.not_found'));
        const state = invitation.waitlistedAt ? 'waitlisted' : (invitation.response ?? 'none');
        return say(
          eventDetails(ctx.t, ctx.locale, invitation.event),
          [ctx.t(`events:answer.current.${state}`), ctx.t('events:answer.ask')].join('\n'),
        );
      },
      choices: (ctx) => rsvpChoices(ctx.t),
      async handle(ctx, input) {
        const response = input.kind === 'choice' ? RSVP_ANSWERS[input.choiceId] : undefined;
        if (!response) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        return { kind: 'done', say: say(await respond(ctx, eventId(ctx), response)) };
      },
    },
    score: {
      async prompt(ctx) {
        const invitation = (await awaitingFeedback(ctx)).find((i) => i.eventId === eventId(ctx));
        const title = isolate(invitation?.event.title ?? '');
        return say(ctx.t('events:feedback.score', { title }));
      },
      choices: (ctx) => scoreChoices(ctx.t),
      handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('events:feedback.scoreOnly') };
        return { kind: 'goto', step: 'comment', data: { score: Number(input.choiceId) } };
      },
    },
    comment: {
      prompt: (ctx) => say(ctx.t('events:feedback.comment')),
      choices: (ctx) => [{ id: 'skip', label: ctx.t('events:feedback.skip') }],
      handle(ctx, input) {
        if (input.kind === 'choice') return sendFeedback(ctx, null);
        if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('events:feedback.textOnly') };
        const text = input.text.trim();
        if (text.length > FEEDBACK_MAX)
          return { kind: 'retry', error: ctx.t('events:feedback.tooLong', { count: FEEDBACK_MAX }) };
        return sendFeedback(ctx, text);
      },
    },
  },
};
