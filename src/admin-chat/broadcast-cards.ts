import { createHash } from 'node:crypto';
import type { Choice, OutboundMessage } from '../core/message.js';
import { GOVERNORATES } from '../data/governorates.js';
import { AUDIENCE_KINDS, type Audience } from '../services/broadcast-audience.js';
import type { BroadcastView } from '../services/broadcasts.js';
import { governorateName } from '../services/cooperative-messages.js';
import { ADMIN_CHOICE_TOKEN, type AdminContext, adminChoice } from './types.js';

/**
 * The broadcast card in the coordinators' chat: one post that walks through the steps (audience,
 * governorates, preview) by being edited in place. Its buttons carry short action names, so the
 * broadcast id and a governorate slug fit Telegram's 64 bytes (`adm|bc.g:<25-char id>:<slug>`).
 */
export const CARD_ACTIONS = {
  audience: 'bc.a',
  toggle: 'bc.g',
  governoratesDone: 'bc.gd',
  changeAudience: 'bc.au',
  send: 'bc.ok',
  schedule: 'bc.at',
  cancel: 'bc.x',
} as const;

/** How much of the text the card quotes: a card must stay one Telegram message when edited. */
const QUOTE_MAX = 1500;

const quote = (text: string) => (text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text);

/** What a card needs of the chat: its words and language. */
type CardContext = Pick<AdminContext, 't' | 'locale'>;

function card(ctx: CardContext, view: BroadcastView, lines: string[], choices: Choice[]): OutboundMessage {
  const head = [
    ctx.t(view.kind === 'relay' ? 'broadcasts:chat.relayDraft' : 'broadcasts:chat.draft'),
    '',
    quote(view.text.ar),
    ...(view.mediaId ? ['', ctx.t('broadcasts:chat.withPhoto')] : []),
  ];
  return {
    text: [...head, '', ...lines].join('\n'),
    choices,
    choiceToken: ADMIN_CHOICE_TOKEN,
    locale: ctx.locale,
  };
}

/**
 * Six hex digits of the audience a preview showed, carried by its send and schedule buttons
 * (`adm|bc.ok:<id>:<tag>`): a press after the draft's audience changed (on another card of the same
 * draft) no longer matches, so a stale preview never sends to an audience nobody looked at. Keys are
 * sorted because PostgreSQL's jsonb gives them back in its own order.
 */
export function audienceTag(audience: Audience | null): string {
  const canonical =
    audience && Object.fromEntries(Object.entries(audience).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha1').update(JSON.stringify(canonical)).digest('hex').slice(0, 6);
}

const cancelChoice = (ctx: CardContext, id: string) =>
  adminChoice(CARD_ACTIONS.cancel, id, ctx.t('broadcasts:chat.cancel'));

/** The first step: who should receive it. */
export function audienceCard(ctx: CardContext, view: BroadcastView): OutboundMessage {
  const kinds = AUDIENCE_KINDS.map((kind) =>
    adminChoice(CARD_ACTIONS.audience, `${view.id}:${kind}`, ctx.t(`broadcasts:audience.${kind}`)),
  );
  return card(ctx, view, [ctx.t('broadcasts:chat.chooseAudience')], [...kinds, cancelChoice(ctx, view.id)]);
}

/** Governorates as toggles (✅ when chosen), then "done". */
export function governoratesCard(ctx: AdminContext, view: BroadcastView, chosen: string[]): OutboundMessage {
  const toggles = GOVERNORATES.map((g) => {
    const name = governorateName(g.slug, ctx.locale);
    return adminChoice(
      CARD_ACTIONS.toggle,
      `${view.id}:${g.slug}`,
      chosen.includes(g.slug) ? `✅ ${name}` : name,
    );
  });
  return card(
    ctx,
    view,
    [ctx.t('broadcasts:chat.chooseGovernorates')],
    [
      ...toggles,
      adminChoice(CARD_ACTIONS.governoratesDone, view.id, ctx.t('broadcasts:chat.governoratesDone')),
      adminChoice(CARD_ACTIONS.changeAudience, view.id, ctx.t('broadcasts:chat.back')),
    ],
  );
}

/** The preview: the audience in words and how many it reaches now; send, schedule, change, cancel. */
export async function previewCard(
  ctx: AdminContext,
  view: BroadcastView,
  audience: Audience,
): Promise<OutboundMessage> {
  const { broadcasts } = ctx.services;
  const described = await broadcasts.describe(audience, ctx.locale);
  const count = await broadcasts.countRecipients(audience);
  const tagged = `${view.id}:${audienceTag(audience)}`;
  return card(
    ctx,
    view,
    [
      ctx.t('broadcasts:chat.preview'),
      ctx.t('broadcasts:chat.audienceLine', { audience: described }),
      ctx.t('broadcasts:recipients', { count }),
    ],
    [
      adminChoice(CARD_ACTIONS.send, tagged, ctx.t('broadcasts:chat.send')),
      adminChoice(CARD_ACTIONS.schedule, tagged, ctx.t('broadcasts:chat.schedule')),
      adminChoice(CARD_ACTIONS.changeAudience, view.id, ctx.t('broadcasts:chat.changeAudience')),
      cancelChoice(ctx, view.id),
    ],
  );
}
