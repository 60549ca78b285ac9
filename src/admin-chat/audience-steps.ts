import type { OutboundMessage } from '../core/message.js';
import { GOVERNORATES } from '../data/governorates.js';
import { AUDIENCE_KINDS, type Audience, type AudienceKind } from '../services/broadcast-audience.js';
import {
  audienceCard,
  audienceTag,
  type CardActions,
  type CardSubject,
  governoratesCard,
} from './broadcast-cards.js';
import { AdminChatError, type AdminChatErrorCode } from './errors.js';
import type {
  AdminActionContext,
  AdminChatModule,
  AdminContext,
  AdminReplyContext,
  AdminResult,
} from './types.js';

/** A draft whose audience a card walks through: what the card shows, and the audience chosen so far. */
export interface AudienceDraft {
  subject: CardSubject;
  audience: Audience | null;
}

/** What the audience steps need of a kind of draft (a broadcast, an event). */
export interface AudienceStore {
  actions: CardActions;
  /** The reply target of the question for a cooperative's name or join code. */
  cooperativeTarget: string;
  /** The locale key of the refusal of a press on a preview whose audience changed since. */
  audienceChanged: string;
  /** The draft behind a button or reply; refuses one that is gone or no longer a draft. */
  load(ctx: AdminContext, id: string): Promise<AudienceDraft>;
  setAudience(ctx: AdminContext, id: string, audience: Audience | null): Promise<void>;
  /** The last step's card, with the buttons that act on `audience`. */
  preview(ctx: AdminContext, draft: AudienceDraft, audience: Audience): Promise<OutboundMessage>;
}

/** A short refusal in `broadcasts:<key>`'s words: the audience steps speak alike for every draft. */
function refuse(
  ctx: AdminContext,
  key: string,
  options?: Record<string, unknown>,
  code?: AdminChatErrorCode,
): never {
  throw new AdminChatError(code ?? 'notAllowed', { notice: ctx.t(`broadcasts:${key}`, options) });
}

/** `<id>:<rest>` from a button's target: the draft and what the button chose. */
export function split(targetId: string): [string, string] {
  const at = targetId.indexOf(':');
  return at < 0 ? [targetId, ''] : [targetId.slice(0, at), targetId.slice(at + 1)];
}

/**
 * The draft behind a preview's button (`<id>:<audience tag>`, or a question that button asked), while
 * its audience is still the one that preview showed: another card of the same draft may have changed it.
 */
export async function previewedDraft(
  ctx: AdminContext,
  store: AudienceStore,
  targetId: string,
): Promise<AudienceDraft & { audience: Audience }> {
  const [id, tag] = split(targetId);
  const draft = await store.load(ctx, id);
  if (!draft.audience || tag !== audienceTag(draft.audience))
    throw new AdminChatError('alreadyHandled', { notice: ctx.t(store.audienceChanged) });
  return { ...draft, audience: draft.audience };
}

/**
 * The audience steps of a draft's card, as button and reply handlers: a whole group goes to the
 * preview; governorates are toggled on the card; a cooperative is asked for by name or code.
 */
export function audienceSteps(store: AudienceStore): Required<Pick<AdminChatModule, 'actions' | 'replies'>> {
  async function chooseAudience(ctx: AdminActionContext): Promise<AdminResult> {
    const [id, kind] = split(ctx.targetId);
    const draft = await store.load(ctx, id);
    if (!AUDIENCE_KINDS.includes(kind as AudienceKind)) refuse(ctx, 'errors.no_audience');
    if (kind === 'governorates' || kind === 'cooperative') {
      await store.setAudience(ctx, id, null);
      if (kind === 'governorates') return { update: { replace: governoratesCard(ctx, draft.subject, []) } };
      const ask = { text: ctx.t('broadcasts:chat.askCooperative') };
      return { post: { message: ask, target: { type: store.cooperativeTarget, id } } };
    }
    const audience = { kind } as { kind: 'all' | 'members' | 'buyers' | 'coordinators' };
    await store.setAudience(ctx, id, audience);
    return { update: { replace: await store.preview(ctx, draft, audience) } };
  }

  async function toggleGovernorate(ctx: AdminActionContext): Promise<AdminResult> {
    const [id, slug] = split(ctx.targetId);
    const draft = await store.load(ctx, id);
    if (!GOVERNORATES.some((g) => g.slug === slug)) refuse(ctx, 'errors.no_audience');
    const before = draft.audience?.kind === 'governorates' ? draft.audience.slugs : [];
    const chosen = before.includes(slug) ? before.filter((s) => s !== slug) : [...before, slug];
    await store.setAudience(ctx, id, chosen.length ? { kind: 'governorates', slugs: chosen } : null);
    return { update: { replace: governoratesCard(ctx, draft.subject, chosen) } };
  }

  async function governoratesDone(ctx: AdminActionContext): Promise<AdminResult> {
    const draft = await store.load(ctx, ctx.targetId);
    if (draft.audience?.kind !== 'governorates') refuse(ctx, 'chat.noGovernorate');
    return { update: { replace: await store.preview(ctx, draft, draft.audience) } };
  }

  async function changeAudience(ctx: AdminActionContext): Promise<AdminResult> {
    const { subject } = await store.load(ctx, ctx.targetId);
    return { update: { replace: audienceCard(ctx, subject) } };
  }

  async function cooperativeNamed(ctx: AdminReplyContext): Promise<AdminResult> {
    const draft = await store.load(ctx, ctx.target.id);
    const found = await ctx.services.broadcasts.findCooperative(ctx.text);
    if (!found.ok && found.names.length > 1)
      refuse(ctx, 'errors.ambiguousCooperative', {
        names: new Intl.ListFormat(ctx.locale).format(found.names),
      });
    if (!found.ok) return refuse(ctx, 'errors.unknown_cooperative', {}, 'notFound');
    const audience = { kind: 'cooperative' as const, id: found.id };
    await store.setAudience(ctx, ctx.target.id, audience);
    return { post: { message: await store.preview(ctx, draft, audience) } };
  }

  const { actions } = store;
  return {
    actions: {
      [actions.audience]: chooseAudience,
      [actions.toggle]: toggleGovernorate,
      [actions.governoratesDone]: governoratesDone,
      [actions.changeAudience]: changeAudience,
    },
    replies: { [store.cooperativeTarget]: cooperativeNamed },
  };
}
