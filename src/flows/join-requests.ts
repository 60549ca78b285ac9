import { type Flow, type StepContext, say } from '../core/flow.js';
import { hasJoinRequests } from './cooperative-access.js';

const pending = (ctx: StepContext) => ctx.services.memberships.pendingRequests(ctx.contact.id);
const requesterName = (ctx: StepContext, name: string | null) =>
  name ?? ctx.t('cooperatives:requests.unnamed');

/**
 * "Join requests", for a lead with people waiting: pick a request, accept or decline it (the
 * requester is told), and the next one follows. A menu entry rather than buttons on the
 * notification, so it works the same on every channel and is never a stale button.
 */
export const joinRequestsFlow: Flow = {
  id: 'join-requests',
  start: 'list',
  menu: { labelKey: 'cooperatives:menu.requests', order: 13, visible: hasJoinRequests },
  steps: {
    list: {
      prompt: async (ctx) => say(ctx.t('cooperatives:requests.list', { count: (await pending(ctx)).length })),
      choices: async (ctx) =>
        (await pending(ctx)).map((r) => ({ id: r.id, label: requesterName(ctx, r.contact.displayName) })),
      async handle(ctx, input) {
        const requests = await pending(ctx);
        if (requests.length === 0)
          return { kind: 'done', say: say(ctx.t('cooperatives:requests.list', { count: 0 })) };
        const request = input.kind === 'choice' ? requests.find((r) => r.id === input.choiceId) : undefined;
        if (!request) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        const name = requesterName(ctx, request.contact.displayName);
        return { kind: 'goto', step: 'decide', data: { requestId: request.id, name } };
      },
    },
    decide: {
      prompt: (ctx) => say(ctx.t('cooperatives:requests.decide', { name: String(ctx.data.name) })),
      choices: (ctx) => [
        { id: 'accept', label: ctx.t('cooperatives:requests.accept') },
        { id: 'decline', label: ctx.t('cooperatives:requests.decline') },
      ],
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        const accept = input.choiceId === 'accept';
        const requestId = String(ctx.data.requestId);
        const outcome = await ctx.services.memberships.decide(ctx.contact.id, requestId, accept, ctx.channel);
        const name = String(ctx.data.name);
        const text = outcome.ok
          ? ctx.t(`cooperatives:requests.${accept ? 'accepted' : 'declined'}`, { name })
          : ctx.t(
              outcome.error === 'not_open'
                ? 'cooperatives:requests.notOpen'
                : 'cooperatives:requests.alreadyHandled',
            );
        if ((await pending(ctx)).length > 0)
          return { kind: 'start', flow: joinRequestsFlow.id, say: say(text) };
        return { kind: 'done', say: say(text) };
      },
    },
  },
};
