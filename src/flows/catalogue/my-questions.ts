import { dataString, type Flow, type StepContext, type StepResult, say } from '../../core/flow.js';
import { INQUIRY_TEXT_MAX } from '../../services/inquiries.js';
import { turnedPage } from '../funding/paging.js';
import { INQUIRY, inquiryChoice, inquiryPage, threadText } from './thread.js';

const FLOW_ID = 'my-questions';

const questionPage = (ctx: StepContext) =>
  inquiryPage(ctx, (window) => ctx.services.inquiries.ofBuyer(ctx.contact.id, window));

const chosen = (ctx: StepContext) =>
  ctx.services.inquiries.buyerThread(ctx.contact.id, dataString(ctx.data, 'inquiryId') ?? '');

const toList = (text: string): StepResult => ({ kind: 'start', flow: FLOW_ID, say: say(text) });

/**
 * "My questions", for anyone who asked a cooperative something: her questions with their status, a
 * page at a time; one thread with the cooperative's answers, where what she writes is relayed to its
 * members (until a member closes it).
 */
export const myQuestionsFlow: Flow = {
  id: FLOW_ID,
  start: 'list',
  menu: {
    labelKey: 'catalogue:menu.myQuestions',
    order: 26,
    visible: (ctx) => ctx.services.inquiries.hasInquiries(ctx.contact.id),
  },
  steps: {
    list: {
      async prompt(ctx) {
        const { total, lines } = await questionPage(ctx);
        const pick = total > 0 ? [ctx.t('catalogue:questions.buyer.pick')] : [];
        return say(
          [ctx.t('catalogue:questions.buyer.count', { count: total }), ...lines, ...pick].join('\n'),
        );
      },
      async choices(ctx) {
        const { items, paging } = await questionPage(ctx);
        return [...items.map((i) => inquiryChoice(ctx, i, 'buyer')), ...paging];
      },
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (input.choiceId.startsWith(INQUIRY)) {
          return { kind: 'goto', step: 'thread', data: { inquiryId: input.choiceId.slice(INQUIRY.length) } };
        }
        const { page } = await questionPage(ctx);
        return { kind: 'start', flow: FLOW_ID, data: { page: turnedPage(input.choiceId, page) ?? page } };
      },
    },
    thread: {
      async prompt(ctx) {
        const thread = await chosen(ctx);
        if (!thread) return say(ctx.t('catalogue:inquiry.errors.not_found'));
        const next =
          thread.status === 'CLOSED' ? 'catalogue:questions.buyer.closed' : 'catalogue:questions.buyer.write';
        return say([threadText(ctx, thread, 'buyer'), ctx.t(next)].join('\n'));
      },
      async handle(ctx, input) {
        if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('catalogue:ask.textOnly') };
        const inquiryId = dataString(ctx.data, 'inquiryId') ?? '';
        const outcome = await ctx.services.inquiries.buyerReply(
          ctx.contact.id,
          inquiryId,
          input.text,
          ctx.now,
        );
        if (outcome.ok) return toList(ctx.t('catalogue:questions.buyer.sent'));
        const error = ctx.t(`catalogue:inquiry.errors.${outcome.error}`, {
          max: INQUIRY_TEXT_MAX,
          count: input.text.trim().length,
        });
        return outcome.error === 'empty' || outcome.error === 'too_long'
          ? { kind: 'retry', error }
          : toList(error);
      },
    },
  },
};
