import { createHash } from 'node:crypto';
import type { Choice, OutboundMessage } from '../core/message.js';
import { GOVERNORATES } from '../data/governorates.js';
import { AUDIENCE_KINDS, type Audience } from '../services/broadcast-audience.js';
import type { BroadcastView } from '../services/broadcasts.js';
import { governorateName } from '../services/cooperative-messages.js';
import { ADMIN_CHOICE_TOKEN, type AdminContext, adminChoice } from './types.js';

/**
 * The short action names of one kind of card's buttons: `bc.a`, `ev.a`, … Only what every card
 * registers: a card with more buttons (the broadcast's schedule) names them itself.
 */
export function cardActions<P extends string>(prefix: P) {
  return {
    audience: `${prefix}.a`,
    toggle: `${prefix}.g`,
    governoratesDone: `${prefix}.gd`,
    changeAudience: `${prefix}.au`,
    send: `${prefix}.ok`,
    cancel: `${prefix}.x`,
  } as const;
}
export type CardActions = ReturnType<typeof cardActions>;

/**
 * The broadcast card in the coordinators' chat: one post that walks through the steps (audience,
 * governorates, preview) by being edited in place. Its buttons carry short action names, so the
 * broadcast id and a governorate slug fit Telegram's 64 bytes (`adm|bc.g:<25-char id>:<slug>`).
 * Event cards walk the same steps with their own names (`ev.…`).
 */
export const CARD_ACTIONS = { ...cardActions('bc'), schedule: 'bc.at' } as const;

/** What a card walks an audience for: the draft's id, its buttons' names, and what it shows on top. */
export interface CardSubject {
  id: string;
  actions: CardActions;
  head: string[];
  /** The locale key of the first step's question (who receives a broadcast, who is invited). */
  askAudience: string;
}

/** How much of the text the card quotes: a card must stay one Telegram message when edited. */
const QUOTE_MAX = 1500;

const quote = (text: string) => (text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text);

/** What a card needs of the chat: its words and language. */
type CardContext = Pick<AdminContext, 't' | 'locale'>;

/** A broadcast draft as the subject of its card: its words, quoted. */
export function broadcastSubject(ctx: CardContext, view: BroadcastView): CardSubject {
  const head = [
    ctx.t(view.kind === 'relay' ? 'broadcasts:chat.relayDraft' : 'broadcasts:chat.draft'),
    '',
    quote(view.text.ar),
    ...(view.mediaId ? ['', ctx.t('broadcasts:chat.withPhoto')] : []),
  ];
  return { id: view.id, actions: CARD_ACTIONS, head, askAudience: 'broadcasts:chat.chooseAudience' };
}

function card(ctx: CardContext, subject: CardSubject, lines: string[], choices: Choice[]): OutboundMessage {
  return {
    text: [...subject.head, '', ...lines].join('\n'),
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

const cancelChoice = (ctx: CardContext, subject: CardSubject) =>
  adminChoice(subject.actions.cancel, subject.id, ctx.t('broadcasts:chat.cancel'));

/** The first step: who should receive it. */
export function audienceCard(ctx: CardContext, subject: CardSubject): OutboundMessage {
  const kinds = AUDIENCE_KINDS.map((kind) =>
    adminChoice(subject.actions.audience, `${subject.id}:${kind}`, ctx.t(`broadcasts:audience.${kind}`)),
  );
  return card(ctx, subject, [ctx.t(subject.askAudience)], [...kinds, cancelChoice(ctx, subject)]);
}

/** Governorates as toggles (✅ when chosen), then "done". */
export function governoratesCard(ctx: CardContext, subject: CardSubject, chosen: string[]): OutboundMessage {
  const toggles = GOVERNORATES.map((g) => {
    const name = governorateName(g.slug, ctx.locale);
    return adminChoice(
      subject.actions.toggle,
      `${subject.id}:${g.slug}`,
      chosen.includes(g.slug) ? `✅ ${name}` : name,
    );
  });
  return card(
    ctx,
    subject,
    [ctx.t('broadcasts:chat.chooseGovernorates')],
    [
      ...toggles,
      adminChoice(subject.actions.governoratesDone, subject.id, ctx.t('broadcasts:chat.governoratesDone')),
      adminChoice(subject.actions.changeAudience, subject.id, ctx.t('broadcasts:chat.back')),
    ],
  );
}

/** What a preview offers besides "change audience" and "cancel", and how it counts the audience. */
export interface PreviewOptions {
  /** The buttons that act on the audience shown; `tagged` is their target (`<id>:<audience tag>`). */
  go: (tagged: string) => Choice[];
  /** The line with how many it reaches, e.g. `broadcasts:recipients`. */
  countKey: string;
}

/** The preview: the audience in words and how many it reaches now; its buttons, change, cancel. */
export async function previewCard(
  ctx: AdminContext,
  subject: CardSubject,
  audience: Audience,
  options: PreviewOptions,
): Promise<OutboundMessage> {
  const { broadcasts } = ctx.services;
  const described = await broadcasts.describe(audience, ctx.locale);
  const count = await broadcasts.countRecipients(audience);
  return card(
    ctx,
    subject,
    [
      ctx.t('broadcasts:chat.preview'),
      ctx.t('broadcasts:chat.audienceLine', { audience: described }),
      ctx.t(options.countKey, { count }),
    ],
    [
      ...options.go(`${subject.id}:${audienceTag(audience)}`),
      adminChoice(subject.actions.changeAudience, subject.id, ctx.t('broadcasts:chat.changeAudience')),
      cancelChoice(ctx, subject),
    ],
  );
}
