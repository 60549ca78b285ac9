import { dataString, type Flow, type Step, type StepContext, type StepResult, say } from '../../core/flow.js';
import { findGovernorate, GOVERNORATES } from '../../data/governorates.js';
import { AUDIENCE_KINDS, type Audience, readAudience } from '../../services/broadcast-audience.js';
import { BROADCAST_TEXT_MAX, readBroadcastText } from '../../services/broadcast-messages.js';
import { BroadcastError } from '../../services/broadcasts.js';
import { governorateName } from '../../services/cooperative-messages.js';
import { contactActor } from '../../services/memberships.js';
import { readYesNo, yesNoChoices } from '../yes-no.js';

const FLOW_ID = 'broadcast';

const isCoordinator = (ctx: StepContext) => ctx.services.coordinators.isCoordinator(ctx.contact.id);

const toPreview = (audience: Audience): StepResult => ({ kind: 'goto', step: 'confirm', data: { audience } });

/** The news itself: text, or a photo with the text as its caption. */
const textStep: Step = {
  prompt: (ctx) => say(ctx.t('broadcasts:flow.askText')),
  handle(ctx, input) {
    const text = input.kind === 'text' ? input.text : input.kind === 'photo' ? (input.caption ?? '') : '';
    const mediaId = input.kind === 'photo' && input.media.kind === 'stored' ? input.media.mediaId : null;
    const words = readBroadcastText(text);
    if (!words.ok)
      return { kind: 'retry', error: ctx.t(`broadcasts:errors.${words.error}`, { max: BROADCAST_TEXT_MAX }) };
    return { kind: 'goto', step: 'audience', data: { text: words.text, mediaId } };
  },
};

/** Who receives it; a governorate and a cooperative are asked for next. */
const audienceStep: Step = {
  choices: (ctx) => AUDIENCE_KINDS.map((kind) => ({ id: kind, label: ctx.t(`broadcasts:audience.${kind}`) })),
  prompt: (ctx) => say(ctx.t('broadcasts:flow.chooseAudience')),
  handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'governorates') return { kind: 'goto', step: 'governorate' };
    if (input.choiceId === 'cooperative') return { kind: 'goto', step: 'cooperative' };
    const audience = readAudience({ kind: input.choiceId });
    return audience ? toPreview(audience) : { kind: 'retry', error: ctx.t('engine:chooseOne') };
  },
};

/** One governorate, from the list or typed by name. */
const governorateStep: Step = {
  choices: (ctx) => GOVERNORATES.map((g) => ({ id: g.slug, label: governorateName(g.slug, ctx.locale) })),
  prompt: (ctx) => say(ctx.t('broadcasts:flow.chooseGovernorate')),
  handle(ctx, input) {
    const slug =
      input.kind === 'choice'
        ? input.choiceId
        : input.kind === 'text'
          ? findGovernorate(input.text)?.slug
          : '';
    const audience = readAudience({ kind: 'governorates', slugs: [slug] });
    if (!audience) return { kind: 'retry', error: ctx.t('broadcasts:flow.governorateNotFound') };
    return toPreview(audience);
  },
};

/** One approved cooperative, by its name or its join code. */
const cooperativeStep: Step = {
  prompt: (ctx) => say(ctx.t('broadcasts:flow.askCooperative')),
  async handle(ctx, input) {
    if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('broadcasts:flow.askCooperative') };
    const found = await ctx.services.broadcasts.findCooperative(input.text);
    if (found.ok) return toPreview({ kind: 'cooperative', id: found.id });
    const error =
      found.names.length > 1
        ? ctx.t('broadcasts:errors.ambiguousCooperative', {
            names: new Intl.ListFormat(ctx.locale).format(found.names),
          })
        : ctx.t('broadcasts:errors.unknown_cooperative');
    return { kind: 'retry', error };
  },
};

/** The message as an Arabic-speaking recipient will read it, the audience and how many it reaches. */
async function preview(ctx: StepContext) {
  const audience = readAudience(ctx.data.audience);
  const text = dataString(ctx.data, 'text') ?? '';
  const mediaId = dataString(ctx.data, 'mediaId') ?? null;
  if (!audience) return say(ctx.t('broadcasts:errors.no_audience'));
  const message = ctx.services.broadcasts.recipientPreview({ ar: text }, audience, mediaId);
  const count = await ctx.services.broadcasts.countRecipients(audience);
  const summary = [
    ctx.t('broadcasts:chat.audienceLine', {
      audience: await ctx.services.broadcasts.describe(audience, ctx.locale),
    }),
    ctx.t('broadcasts:recipients', { count }),
    ctx.t('broadcasts:flow.question'),
  ].join('\n');
  return [{ text: ctx.t('broadcasts:flow.preview') }, message, { text: summary }];
}

/** Send or not: sending writes the broadcast and its outbox rows in this turn's transaction. */
const confirmStep: Step = {
  choices: (ctx) => yesNoChoices(ctx, 'broadcasts:flow.send', 'broadcasts:flow.dontSend'),
  prompt: preview,
  async handle(ctx, input) {
    const answer = readYesNo(input);
    if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (answer === 'no') return { kind: 'done', say: say(ctx.t('broadcasts:flow.notSent')) };
    const audience = readAudience(ctx.data.audience);
    const text = { ar: dataString(ctx.data, 'text') ?? '' };
    const mediaId = dataString(ctx.data, 'mediaId');
    const actor = contactActor(ctx.contact.id, ctx.channel);
    if (!audience) return { kind: 'goto', step: 'audience' };
    try {
      const draft = { text, audience, mediaId };
      const { recipients } = await ctx.services.broadcasts.publish(draft, actor, ctx.now);
      return { kind: 'done', say: say(ctx.t('broadcasts:flow.queued', { count: recipients })) };
    } catch (err) {
      if (!(err instanceof BroadcastError)) throw err;
      const said = say(ctx.t(`broadcasts:errors.${err.code}`));
      // An audience nobody in it can be reached (any more): she picks another, her text kept.
      if (err.code === 'no_recipients' || err.code === 'unknown_cooperative')
        return { kind: 'goto', step: 'audience', say: said };
      return { kind: 'done', say: said };
    }
  },
};

/**
 * "Broadcast news" for coordinators on any channel (WhatsApp, the web, Telegram in private): text
 * (or a photo with a caption) → audience → preview with the number of recipients → send. The same
 * service as the coordinators' chat and the admin API; the menu shows it to coordinators only.
 */
export const broadcastFlow: Flow = {
  id: FLOW_ID,
  start: 'text',
  menu: { labelKey: 'broadcasts:menu', order: 50, visible: isCoordinator },
  steps: {
    text: textStep,
    audience: audienceStep,
    governorate: governorateStep,
    cooperative: cooperativeStep,
    confirm: confirmStep,
  },
};
