import { isolateLtr } from '../i18n/bidi.js';
import { REJECTION_REASON_MAX } from '../services/cooperative-rules.js';
import type { ReviewOutcome } from '../services/cooperatives.js';
import { actorName } from './actor.js';
import { AdminChatError } from './errors.js';
import type { AdminActionContext, AdminChatModule, AdminContext, AdminResult } from './types.js';

/** The reply target of the "write the reason" post that a reject press opens. */
export const REJECTION_TARGET = 'cooperative-rejection';

/** A decision the service did not apply, as the chat says it; the console rolls back and shows the notice. */
function refused(ctx: AdminContext, outcome: Extract<ReviewOutcome, { ok: false }>): never {
  if (outcome.error === 'invalid_reason') {
    throw new AdminChatError('notAllowed', {
      notice: ctx.t('cooperatives:review.reasonInvalid', { max: REJECTION_REASON_MAX }),
    });
  }
  if (outcome.error === 'not_found') {
    throw new AdminChatError('notFound', { notice: ctx.t('cooperatives:review.notFound') });
  }
  const status = outcome.cooperative ? ctx.t(`cooperatives:statuses.${outcome.cooperative.status}`) : '';
  throw new AdminChatError('alreadyHandled', {
    notice: ctx.t('cooperatives:review.alreadyHandled', { status }),
  });
}

/** Approve: a join code, the lead told, the post marked and its buttons removed. */
async function approve(ctx: AdminActionContext): Promise<AdminResult> {
  const outcome = await ctx.services.cooperatives.approve(ctx.targetId, ctx.actor, ctx.now);
  if (!outcome.ok) refused(ctx, outcome);
  const code = isolateLtr(outcome.cooperative.joinCode ?? '');
  const line = ctx.t('cooperatives:review.approved', { by: await actorName(ctx), code });
  return { notice: line, update: { appendLine: line, removeChoices: true } };
}

/** Reject: nothing changes yet; a post asks for the reason, and the reply to it rejects. */
async function askReason(ctx: AdminActionContext): Promise<AdminResult> {
  const cooperative = await ctx.services.cooperatives.get(ctx.targetId);
  if (!cooperative) refused(ctx, { ok: false, error: 'not_found' });
  if (cooperative.status !== 'PENDING') refused(ctx, { ok: false, error: 'not_pending', cooperative });
  return {
    post: {
      message: { text: ctx.t('cooperatives:review.askReason', { name: cooperative.name }) },
      target: { type: REJECTION_TARGET, id: cooperative.id },
    },
  };
}

/**
 * Cooperatives in the coordinators' chat: approve / reject buttons on each registration (and on a
 * cooperative sent back for review); rejecting takes the reason as a reply, which reaches the lead.
 * Both go through the same service as the admin API: only a PENDING cooperative changes.
 */
export const cooperativesAdminModule: AdminChatModule = {
  actions: {
    'cooperative.approve': approve,
    'cooperative.reject': askReason,
  },
  replies: {
    async [REJECTION_TARGET](ctx) {
      const outcome = await ctx.services.cooperatives.reject(ctx.target.id, ctx.text, ctx.actor, ctx.now);
      if (!outcome.ok) refused(ctx, outcome);
      const line = ctx.t('cooperatives:review.rejected', {
        by: await actorName(ctx),
        reason: ctx.text.trim(),
      });
      return { notice: line, update: { appendLine: line } };
    },
  },
};
