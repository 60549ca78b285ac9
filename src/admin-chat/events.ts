import type { Event } from '../generated/sqlite/client.js';
import { isolate } from '../i18n/bidi.js';
import { formatDateTime } from '../i18n/format.js';
import { gazaDate } from '../i18n/gaza-time.js';
import { readAudience } from '../services/broadcast-audience.js';
import { eventDetails, summaryMessage } from '../services/event-messages.js';
import { EventError, type EventErrorCode } from '../services/events.js';
import { actorName } from './actor.js';
import { type AudienceStore, audienceSteps, previewedDraft, split } from './audience-steps.js';
import { audienceCard, type CardSubject, cardActions, previewCard } from './broadcast-cards.js';
import { AdminChatError, type AdminChatErrorCode } from './errors.js';
import { type EventForm, FORM_MAX, type FormProblem, isFormLine, readEventForm } from './event-form.js';
import {
  ADMIN_CHOICE_TOKEN,
  type AdminActionContext,
  type AdminChatModule,
  type AdminContext,
  type AdminReplyContext,
  type AdminResult,
  adminChoice,
} from './types.js';

/** The event card's buttons: the broadcast card's steps under their own names. */
export const EVENT_CARD_ACTIONS = cardActions('ev');
/** The `/events` post's button: the same post with the counts as they are now. */
const REFRESH_ACTION = 'ev.r';
/**
 * Reply targets: the question for the form (its id is the title the command gave, or empty); the
 * same question once a reply made a draft (`<event id>:<title>`); the cooperative.
 */
const FORM_TARGET = 'event-form';
const FORM_DONE_TARGET = 'event-form-done';
const COOPERATIVE_TARGET = 'event-coop';
/**
 * How long the `/events` post's events may grow: a Telegram message holds 4 096 characters, and its
 * refresh edits it in place, so it must stay one message with its title and footer.
 */
const LIST_MAX = 3500;
/** How far ahead the form's example date is, so that copying it never gives a time already passed. */
const EXAMPLE_DAYS = 7;

/** The service's refusals as the chat says them; what coordinators share with invitees is said alike. */
const ERRORS: Record<EventErrorCode, [AdminChatErrorCode, string]> = {
  not_found: ['notFound', 'events:errors.not_found'],
  forbidden: ['notAllowed', 'events:errors.forbidden'],
  invalid_time: ['notAllowed', 'events:errors.invalid_time'],
  no_recipients: ['notAllowed', 'events:errors.no_recipients'],
  started: ['alreadyHandled', 'adminEvents:errors.started'],
  not_draft: ['alreadyHandled', 'adminEvents:errors.not_draft'],
  not_ended: ['notAllowed', 'events:errors.not_ended'],
  not_invited: ['notAllowed', 'events:errors.not_invited'],
};

/** A refusal of the events service as the chat says it; the console rolls back and shows it. */
function refused(ctx: AdminContext, err: unknown): never {
  if (!(err instanceof EventError)) throw err;
  const [code, key] = ERRORS[err.code];
  throw new AdminChatError(code, { notice: ctx.t(key) });
}

/** The event as its invitees will read it, with what they are not told (its end, its seats). */
function eventSubject(ctx: AdminContext, event: Event): CardSubject {
  const head = [
    ctx.t('adminEvents:card.draft'),
    '',
    eventDetails(ctx.t, ctx.locale, event),
    '',
    ctx.t('adminEvents:card.ends', { when: formatDateTime(event.endsAt, ctx.locale) }),
    ...(event.capacity === null ? [] : [ctx.t('adminEvents:card.capacity', { count: event.capacity })]),
  ];
  return { id: event.id, actions: EVENT_CARD_ACTIONS, head, askAudience: 'adminEvents:card.chooseAudience' };
}

const drafts: AudienceStore = {
  actions: EVENT_CARD_ACTIONS,
  cooperativeTarget: COOPERATIVE_TARGET,
  audienceChanged: 'adminEvents:errors.audienceChanged',
  async load(ctx, id) {
    const event = await ctx.services.events.get(id);
    if (!event) return refused(ctx, new EventError('not_found'));
    if (event.status !== 'DRAFT') return refused(ctx, new EventError('not_draft'));
    return { subject: eventSubject(ctx, event), audience: readAudience(event.audience) };
  },
  setAudience: (ctx, id, audience) =>
    ctx.services.events.setAudience(id, audience, ctx.actor).catch((err) => refused(ctx, err)),
  preview: (ctx, draft, audience) =>
    previewCard(ctx, draft.subject, audience, {
      countKey: 'adminEvents:card.willInvite',
      go: (tagged) => [adminChoice(EVENT_CARD_ACTIONS.send, tagged, ctx.t('adminEvents:card.invite'))],
    }),
};
const steps = audienceSteps(drafts);

const exampleDate = (ctx: AdminContext) => gazaDate(ctx.now, EXAMPLE_DAYS);

/** The question for the form; replies to it carry the title the command gave. */
function askForm(ctx: AdminContext, title: string): AdminResult['post'] {
  const lines = [
    title ? ctx.t('adminEvents:ask.titled', { title }) : ctx.t('adminEvents:ask.new'),
    '',
    ...(title ? [] : [ctx.t('adminEvents:ask.titleLine')]),
    ctx.t('adminEvents:ask.example', { date: exampleDate(ctx) }),
    '',
    ctx.t('adminEvents:ask.notes'),
  ];
  return { message: { text: lines.join('\n') }, target: { type: FORM_TARGET, id: title } };
}

/** One problem of her form, naming its line. */
function problemLine(ctx: AdminContext, { error, field, line }: FormProblem): string {
  const label = field ? ctx.t(`adminEvents:labels.${field}`) : '';
  const count = field ? FORM_MAX[field] : undefined;
  const options = { label, line: line && isolate(line), count, date: exampleDate(ctx) };
  return ctx.t(`adminEvents:form.errors.${error}`, options);
}

/** Every problem of her form in one notice, so she corrects them all in one reply. */
function problemsNotice(ctx: AdminContext, problems: FormProblem[]): string {
  const lines = problems.map((problem) => `• ${problemLine(ctx, problem)}`);
  return [ctx.t('adminEvents:form.problems'), ...lines, '', ctx.t('adminEvents:form.retry')].join('\n');
}

/** Writes the draft from her form; its card (the result's post) asks for the audience. */
async function startDraft(ctx: AdminContext, form: EventForm): Promise<AdminResult & { event: Event }> {
  const event = await ctx.services.events.draft(form, ctx.actor, ctx.now).catch((err) => refused(ctx, err));
  return { event, post: { message: audienceCard(ctx, eventSubject(ctx, event)) } };
}

/**
 * A reply to the question with the form: a draft, and the question answered — a second reply would
 * make a second draft beside the first, so it is told where the first one is instead.
 */
async function formReplied(ctx: AdminReplyContext, title: string): Promise<AdminResult> {
  const form = readEventForm(ctx.text, ctx.now, title);
  if (!form.ok) throw new AdminChatError('notAllowed', { notice: problemsNotice(ctx, form.problems) });
  const { event, post } = await startDraft(ctx, form.value);
  return { post, retarget: { from: ctx.target, to: { type: FORM_DONE_TARGET, id: `${event.id}:${title}` } } };
}

/** A reply to a question already answered: the draft it made is still to finish, or cancelling it freed the question. */
async function formRepliedAgain(ctx: AdminReplyContext): Promise<AdminResult> {
  const [id, title] = split(ctx.target.id);
  const event = await ctx.services.events.get(id);
  if (event?.status === 'DRAFT')
    throw new AdminChatError('alreadyHandled', { notice: ctx.t('adminEvents:form.drafted') });
  if (event && event.status !== 'CANCELLED')
    throw new AdminChatError('alreadyHandled', { notice: ctx.t('adminEvents:form.invited') });
  return formReplied(ctx, title);
}

/** Send: the draft becomes an open event and its audience is invited now; the card reports how many. */
async function invite(ctx: AdminActionContext): Promise<AdminResult> {
  const { subject } = await previewedDraft(ctx, drafts, ctx.targetId);
  const { events } = ctx.services;
  await events.open(subject.id, ctx.actor, ctx.now).catch((err) => refused(ctx, err));
  const { invited } = await events.invite(subject.id, ctx.actor, ctx.now).catch((err) => refused(ctx, err));
  const line = ctx.t('adminEvents:card.invited', { count: invited, by: await actorName(ctx) });
  return { notice: line, update: { appendLine: line, removeChoices: true } };
}

async function cancelDraft(ctx: AdminActionContext): Promise<AdminResult> {
  await ctx.services.events.cancelDraft(ctx.targetId, ctx.actor, ctx.now).catch((err) => refused(ctx, err));
  const line = ctx.t('adminEvents:card.cancelled', { by: await actorName(ctx) });
  return { notice: line, update: { appendLine: line, removeChoices: true } };
}

/** The upcoming open events with their answers by answer and by governorate, and a refresh button. */
async function eventsList(ctx: AdminContext) {
  const { events } = ctx.services;
  const open = await events.openEvents(ctx.now);
  const blocks: string[] = [];
  let length = 0;
  for (const event of open) {
    const { counts, byGovernorate } = await events.rsvps(event.id);
    const when = ctx.t('events:details.when', { when: formatDateTime(event.startsAt, ctx.locale) });
    const block = [summaryMessage(ctx.t, ctx.locale, event, counts, byGovernorate).text, when].join('\n');
    length += block.length + 2;
    if (length > LIST_MAX) break;
    blocks.push(block);
  }
  const more = open.length - blocks.length;
  const text = [
    open.length ? ctx.t('adminEvents:list.title') : ctx.t('adminEvents:list.none'),
    ...blocks.map((block) => `\n${block}`),
    ...(more > 0 ? ['', ctx.t('adminEvents:list.more', { count: more })] : []),
    '',
    ctx.t('adminEvents:list.asOf', { at: formatDateTime(ctx.now, ctx.locale) }),
  ];
  return {
    text: text.join('\n'),
    choices: [adminChoice(REFRESH_ACTION, 'list', ctx.t('adminEvents:list.refresh'))],
    choiceToken: ADMIN_CHOICE_TOKEN,
    locale: ctx.locale,
  };
}

/**
 * Events from the coordinators' chat (issue 5): `/event <title>` (or `/event` alone) asks for a short
 * form as a reply — one `label: value` a line, Arabic or English labels, Gaza time — because a group
 * chat keeps one reply easier to follow, correct and repeat than a chain of questions; a bad line is
 * named and the question stays open for another reply. A valid form writes a DRAFT event (and answers
 * the question until that draft is cancelled) and posts its card, which walks the broadcast card's
 * audience steps to a preview (the event as invitees see it, how many it reaches) whose button opens
 * the event and invites them. `/events` shows the upcoming events' answers by answer and by
 * governorate, as many as one Telegram message holds, refreshed by its button.
 */
export const eventsAdminModule: AdminChatModule = {
  commands: {
    async event(ctx) {
      const [first = '', ...rest] = ctx.text.split('\n');
      const title = isFormLine(first) ? '' : first.trim();
      const text = title ? rest.join('\n') : ctx.text;
      if (title.length > (FORM_MAX.title ?? 0))
        throw new AdminChatError('notAllowed', {
          notice: problemLine(ctx, { error: 'tooLong', field: 'title' }),
        });
      if (!text.trim()) return { post: askForm(ctx, title) };
      // The form came with the command: a bad one is named, and the question is asked for the next try.
      const form = readEventForm(text, ctx.now, title);
      if (!form.ok) return { notice: problemsNotice(ctx, form.problems), post: askForm(ctx, title) };
      const { post } = await startDraft(ctx, form.value);
      return { post };
    },
    async events(ctx) {
      return { post: { message: await eventsList(ctx) } };
    },
  },
  actions: {
    ...steps.actions,
    [EVENT_CARD_ACTIONS.send]: invite,
    [EVENT_CARD_ACTIONS.cancel]: cancelDraft,
    [REFRESH_ACTION]: async (ctx) => ({ update: { replace: await eventsList(ctx) } }),
  },
  replies: {
    ...steps.replies,
    [FORM_TARGET]: (ctx) => formReplied(ctx, ctx.target.id),
    [FORM_DONE_TARGET]: formRepliedAgain,
  },
};
