import { FUNDING_ACTIONS, FundingError, type StatusChange } from '../services/funding.js';
import { actorName } from './actor.js';
import { AdminChatError } from './errors.js';
import type { AdminActionContext, AdminChatModule, AdminContext, AdminResult } from './types.js';

/** A refusal of the funding service as the chat says it; the console rolls back and shows the notice. */
function refused(err: unknown, ctx: AdminContext): never {
  if (!(err instanceof FundingError)) throw err;
  if (err.code === 'not_found')
    throw new AdminChatError('notFound', { notice: ctx.t('funding:admin.notFound') });
  if (err.code === 'closed')
    throw new AdminChatError('alreadyHandled', { notice: ctx.t('funding:admin.closed') });
  throw new AdminChatError('notAllowed', { cause: err });
}

/** Applies a decision through the same service as the admin API, so she is told and it is audited. */
async function decide(ctx: AdminContext, id: string, change: StatusChange): Promise<{ by: string }> {
  const result = await ctx.services.funding
    .setStatus(id, change, ctx.actor, ctx.now)
    .catch((err) => refused(err, ctx));
  if (!result.changed) {
    throw new AdminChatError('alreadyHandled', { notice: ctx.t('funding:admin.sameStatus') });
  }
  return { by: await actorName(ctx) };
}

/** A status button: the new status is noted under the post; closing removes its buttons. */
const setStatus =
  (status: StatusChange['status']) =>
  async (ctx: AdminActionContext): Promise<AdminResult> => {
    const { by } = await decide(ctx, ctx.targetId, { status });
    const line = ctx.t('funding:admin.changed', { status: ctx.t(`funding:status.${status}`), by });
    return { notice: line, update: { appendLine: line, removeChoices: status === 'CLOSED' } };
  };

/**
 * Funding requests in the coordinators' chat: buttons in review / answered / close on each request's
 * post, and a reply to the post answers her (stored, status ANSWERED, sent to her channel).
 */
export const fundingAdminModule: AdminChatModule = {
  actions: Object.fromEntries(
    Object.entries(FUNDING_ACTIONS).map(([action, status]) => [action, setStatus(status)]),
  ),
  replies: {
    async 'funding-request'(ctx) {
      const { by } = await decide(ctx, ctx.target.id, { status: 'ANSWERED', answer: ctx.text });
      const line = ctx.t('funding:admin.answered', { by });
      return { notice: line, update: { appendLine: line } };
    },
  },
};
