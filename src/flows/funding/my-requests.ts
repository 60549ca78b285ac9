import { dataString, type Flow, type StepContext, say } from '../../core/flow.js';
import { requestRef } from '../../services/funding.js';
import { requestCard, requestTitle } from './format.js';
import { currentPage, pageLines, pageWindow, pagingChoices, turnedPage } from './paging.js';

const REQUEST = 'request:';

/** The page of her requests the flow is on, newest first. */
async function requestPage(ctx: StepContext) {
  const { funding } = ctx.services;
  const { total } = await funding.requestsOf(ctx.contact.id, { take: 0 });
  const page = currentPage(ctx.data, total);
  const { items } = await funding.requestsOf(ctx.contact.id, pageWindow(page));
  return { items, total, page };
}

/** "My requests": her funding requests with their status in words, and each one with its answer. */
export const myRequestsFlow: Flow = {
  id: 'funding-requests',
  start: 'list',
  menu: {
    labelKey: 'funding:menu.myRequests',
    order: 31,
    visible: (ctx) => ctx.services.funding.hasRequests(ctx.contact.id),
  },
  steps: {
    list: {
      async prompt(ctx) {
        const { items, total, page } = await requestPage(ctx);
        const lines = items.map((r) =>
          ctx.t('funding:myRequests.line', {
            ref: requestRef(r.id),
            title: requestTitle(ctx, r),
            status: ctx.t(`funding:status.${r.status}`),
          }),
        );
        const head = [ctx.t('funding:myRequests.count', { count: total }), ...pageLines(ctx, page, total)];
        return say([...head, ...lines, ...(total > 0 ? [ctx.t('funding:myRequests.pick')] : [])].join('\n'));
      },
      async choices(ctx) {
        const { items, total, page } = await requestPage(ctx);
        return [
          ...items.map((r) => ({
            id: `${REQUEST}${r.id}`,
            label: ctx.t('funding:myRequests.choice', {
              ref: requestRef(r.id),
              status: ctx.t(`funding:status.${r.status}`),
            }),
          })),
          ...pagingChoices(ctx, page, total),
        ];
      },
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (input.choiceId.startsWith(REQUEST)) {
          return { kind: 'goto', step: 'detail', data: { requestId: input.choiceId.slice(REQUEST.length) } };
        }
        const { page } = await requestPage(ctx);
        return {
          kind: 'start',
          flow: 'funding-requests',
          data: { page: turnedPage(input.choiceId, page) ?? page },
        };
      },
    },
    detail: {
      async prompt(ctx) {
        const request = await ctx.services.funding.requestOf(
          ctx.contact.id,
          dataString(ctx.data, 'requestId') ?? '',
        );
        return say(request ? requestCard(ctx, request) : ctx.t('funding:myRequests.notFound'));
      },
      handle: (ctx) => ({ kind: 'retry', error: ctx.t('engine:chooseOne') }),
    },
  },
};
