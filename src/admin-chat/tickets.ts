import { TICKET_CLOSE_ACTION, TicketError } from '../services/tickets.js';
import { actorName } from './actor.js';
import { AdminChatError } from './errors.js';
import type { AdminChatModule, AdminContext } from './types.js';

/** A refusal of the ticket service as the chat says it; the console rolls back and shows the notice. */
function refused(err: unknown, ctx: AdminContext): never {
  if (!(err instanceof TicketError)) throw err;
  if (err.code === 'not_found')
    throw new AdminChatError('notFound', { notice: ctx.t('tickets:admin.notFound') });
  if (err.code === 'closed') {
    throw new AdminChatError('alreadyHandled', { notice: ctx.t('tickets:admin.alreadyClosed') });
  }
  throw new AdminChatError('notAllowed', { cause: err });
}

/**
 * "Talk to a coordinator" in the coordinators' chat: a reply to any post of a ticket answers her on
 * her channel; "close" ends the ticket and tells her.
 */
export const ticketsAdminModule: AdminChatModule = {
  actions: {
    async [TICKET_CLOSE_ACTION](ctx) {
      const { changed } = await ctx.services.tickets
        .close(ctx.targetId, ctx.actor, ctx.now)
        .catch((err) => refused(err, ctx));
      if (!changed)
        throw new AdminChatError('alreadyHandled', { notice: ctx.t('tickets:admin.alreadyClosed') });
      const line = ctx.t('tickets:admin.closed', { by: await actorName(ctx) });
      return { notice: line, update: { appendLine: line, removeChoices: true } };
    },
  },
  replies: {
    async ticket(ctx) {
      await ctx.services.tickets
        .reply(ctx.target.id, ctx.text, ctx.actor, ctx.now)
        .catch((err) => refused(err, ctx));
      const line = ctx.t('tickets:admin.replied', { by: await actorName(ctx) });
      return { notice: line, update: { appendLine: line } };
    },
  },
};
