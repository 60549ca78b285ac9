import { STOP_ACTION } from '../broadcasts/progress.js';
import { formatDateTime } from '../i18n/format.js';
import { parseSendTime } from '../i18n/gaza-time.js';
import { BROADCAST_TEXT_MAX, excerpt, readBroadcastText } from '../services/broadcast-messages.js';
import { BroadcastError, type BroadcastView } from '../services/broadcasts.js';
import { actorName } from './actor.js';
import { type AudienceStore, audienceSteps, previewedDraft } from './audience-steps.js';
import { audienceCard, broadcastSubject, CARD_ACTIONS, previewCard } from './broadcast-cards.js';
import { AdminChatError, type AdminChatErrorCode } from './errors.js';
import {
  type AdminActionContext,
  type AdminChannelPostContext,
  type AdminChatModule,
  type AdminContext,
  type AdminResult,
  adminChoice,
  type ChatPhoto,
} from './types.js';

/** Reply targets: the question for the text, the cooperative and the send time. */
export const TEXT_TARGET = 'broadcast-text';
const COOPERATIVE_TARGET = 'broadcast-coop';
const TIME_TARGET = 'broadcast-time';

const ERROR_CODES: Record<BroadcastError['code'], AdminChatErrorCode> = {
  not_found: 'notFound',
  forbidden: 'notAllowed',
  not_draft: 'alreadyHandled',
  finished: 'alreadyHandled',
  no_audience: 'notAllowed',
  no_recipients: 'notAllowed',
  unknown_cooperative: 'notFound',
  invalid_text: 'notAllowed',
};

/** A refusal of the broadcast service as the chat says it; the console rolls back and shows it. */
function refused(ctx: AdminContext, err: unknown): never {
  if (!(err instanceof BroadcastError)) throw err;
  throw new AdminChatError(ERROR_CODES[err.code], { notice: ctx.t(`broadcasts:errors.${err.code}`) });
}

/** A short refusal of what she sent or pressed, in `broadcasts:<key>`'s words. */
function refuse(
  ctx: Pick<AdminContext, 't'>,
  key: string,
  options?: Record<string, unknown>,
  code: AdminChatErrorCode = 'notAllowed',
): never {
  throw new AdminChatError(code, { notice: ctx.t(`broadcasts:${key}`, options) });
}

/** The draft behind a button: only a draft walks through the card's steps. */
async function draftView(ctx: AdminContext, id: string): Promise<BroadcastView> {
  const view = await ctx.services.broadcasts.view(id);
  if (!view) return refused(ctx, new BroadcastError('not_found'));
  if (view.status !== 'DRAFT') return refused(ctx, new BroadcastError('not_draft'));
  return view;
}

/** A broadcast draft's audience steps: its card offers send now, or schedule, once the audience is chosen. */
const drafts: AudienceStore = {
  actions: CARD_ACTIONS,
  cooperativeTarget: COOPERATIVE_TARGET,
  audienceChanged: 'broadcasts:errors.audienceChanged',
  async load(ctx, id) {
    const view = await draftView(ctx, id);
    return { subject: broadcastSubject(ctx, view), audience: view.audience };
  },
  setAudience: (ctx, id, audience) =>
    ctx.services.broadcasts.setAudience(id, audience, ctx.actor).catch((err) => refused(ctx, err)),
  preview: (ctx, draft, audience) =>
    previewCard(ctx, draft.subject, audience, {
      countKey: 'broadcasts:recipients',
      go: (tagged) => [
        adminChoice(CARD_ACTIONS.send, tagged, ctx.t('broadcasts:chat.send')),
        adminChoice(CARD_ACTIONS.schedule, tagged, ctx.t('broadcasts:chat.schedule')),
      ],
    }),
};
const steps = audienceSteps(drafts);

/** Writes the draft from her words (and photo) and posts its card, asking for the audience. */
async function startDraft(ctx: AdminContext, text: string, photo: ChatPhoto | undefined) {
  if (photo && 'rejected' in photo) refuse(ctx, 'errors.photoRejected');
  const words = readBroadcastText(text);
  if (!words.ok) return refuse(ctx, `errors.${words.error}`, { max: BROADCAST_TEXT_MAX });
  const mediaId = photo && 'mediaId' in photo ? photo.mediaId : undefined;
  const { broadcast } = await ctx.services.broadcasts
    .createDraft({ text: { ar: words.text }, mediaId }, ctx.actor, ctx.now)
    .catch((err) => refused(ctx, err));
  const view = (await ctx.services.broadcasts.view(broadcast.id)) as BroadcastView;
  return { post: { message: audienceCard(ctx, broadcastSubject(ctx, view)) } } satisfies AdminResult;
}

/**
 * A post of the coalition's channel becomes a relay draft and its card, offering it to the other
 * channels' subscribers. The id derives from the post, so a redelivered update offers nothing twice.
 */
async function offerRelay(ctx: AdminChannelPostContext): Promise<AdminResult | null> {
  const words = readBroadcastText(ctx.text);
  if (!words.ok && words.error === 'textMissing') return null;
  if (!words.ok) return refuse(ctx, 'errors.relayTooLong', { max: BROADCAST_TEXT_MAX });
  const mediaId = ctx.photo && 'mediaId' in ctx.photo ? ctx.photo.mediaId : undefined;
  const actor = { label: `telegram-channel:${ctx.channelId}`, channel: 'telegram-channel' };
  const { broadcast, created } = await ctx.services.broadcasts.createDraft(
    { text: { ar: words.text }, mediaId, kind: 'relay' },
    actor,
    ctx.now,
    ctx.messageId,
  );
  if (!created) return null;
  const view = (await ctx.services.broadcasts.view(broadcast.id)) as BroadcastView;
  return { post: { message: audienceCard(ctx, broadcastSubject(ctx, view)) } };
}

/** Send: queued now; the progress message follows in this chat. */
async function send(ctx: AdminActionContext): Promise<AdminResult> {
  const { subject } = await previewedDraft(ctx, drafts, ctx.targetId);
  const { recipients } = await ctx.services.broadcasts
    .queue(subject.id, ctx.actor, ctx.now, { progressChatId: ctx.post.chatId })
    .catch((err) => refused(ctx, err));
  const line = ctx.t('broadcasts:chat.queued', { count: recipients, by: await actorName(ctx) });
  return { notice: line, update: { appendLine: line, removeChoices: true } };
}

/** Schedule: asks for the time; the question carries the button's audience tag to its answer. */
async function askTime(ctx: AdminActionContext): Promise<AdminResult> {
  await previewedDraft(ctx, drafts, ctx.targetId);
  const ask = { text: ctx.t('broadcasts:chat.askTime') };
  return { post: { message: ask, target: { type: TIME_TARGET, id: ctx.targetId } } };
}

async function cancelDraft(ctx: AdminActionContext): Promise<AdminResult> {
  await draftView(ctx, ctx.targetId);
  await ctx.services.broadcasts.cancel(ctx.targetId, ctx.actor, ctx.now).catch((err) => refused(ctx, err));
  const line = ctx.t('broadcasts:chat.cancelled', { by: await actorName(ctx) });
  return { notice: line, update: { appendLine: line, removeChoices: true } };
}

/** "Stop sending" on a progress message: what is not sent is skipped; the message shows the end. */
async function stop(ctx: AdminActionContext): Promise<AdminResult> {
  const view = await ctx.services.broadcasts
    .cancel(ctx.targetId, ctx.actor, ctx.now)
    .catch((err) => refused(ctx, err));
  const line = ctx.t('broadcasts:chat.stopped', { by: await actorName(ctx) });
  const { sent, total } = view.counts;
  const text = [
    ctx.t('broadcasts:progress.title', { excerpt: excerpt(view.text.ar) }),
    ctx.t('broadcasts:progress.stoppedCounts', { sent, unsent: total - sent }),
    line,
  ];
  return { notice: line, update: { replace: { text: text.join('\n'), locale: ctx.locale } } };
}

/**
 * Broadcasts from the coordinators' chat (DESIGN §6): `/broadcast <text>` (or a photo with that
 * caption; `/broadcast` alone asks for the text as a reply) posts a card; its buttons choose the
 * audience (governorates as toggles, a cooperative by a reply with its name or code), then a
 * preview with the number of recipients offers send, schedule (a reply with the time, Gaza time)
 * and cancel. A post in the coalition's channel comes as the same card (a relay). Everything goes
 * through the broadcasts service, as the admin API does.
 */
export const broadcastsAdminModule: AdminChatModule = {
  commands: {
    async broadcast(ctx) {
      if (!ctx.text.trim() && !ctx.photo) {
        const ask = { text: ctx.t('broadcasts:chat.askText') };
        return { post: { message: ask, target: { type: TEXT_TARGET, id: 'new' } } };
      }
      return startDraft(ctx, ctx.text, ctx.photo);
    },
  },
  actions: {
    ...steps.actions,
    [CARD_ACTIONS.send]: send,
    [CARD_ACTIONS.schedule]: askTime,
    [CARD_ACTIONS.cancel]: cancelDraft,
    [STOP_ACTION]: stop,
  },
  channelPost: offerRelay,
  // A photo alone answers the question for the text: she is told the words are missing.
  photoReplies: [TEXT_TARGET],
  replies: {
    [TEXT_TARGET]: (ctx) => startDraft(ctx, ctx.text, ctx.photo),

    ...steps.replies,

    async [TIME_TARGET](ctx) {
      const at = parseSendTime(ctx.text, ctx.now);
      if (!at.ok) return refuse(ctx, at.error === 'past' ? 'errors.timePast' : 'errors.timeInvalid');
      const { subject } = await previewedDraft(ctx, drafts, ctx.target.id);
      const scheduledAt = at.value;
      await ctx.services.broadcasts
        .queue(subject.id, ctx.actor, ctx.now, { scheduledAt, progressChatId: ctx.post.chatId })
        .catch((err) => refused(ctx, err));
      const when = formatDateTime(scheduledAt, ctx.locale);
      const line = ctx.t('broadcasts:chat.scheduled', { at: when, by: await actorName(ctx) });
      return { notice: line, update: { appendLine: line } };
    },
  },
};
