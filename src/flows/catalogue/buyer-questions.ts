import { dataString, type Flow, type StepContext, type StepResult, say } from '../../core/flow.js';
import type { InquiryError } from '../../services/inquiries.js';
import { INQUIRY_TEXT_MAX } from '../../services/inquiries.js';
import { turnedPage } from '../funding/paging.js';
import { readYesNo, yesNoChoices } from '../yes-no.js';
import { INQUIRY, inquiryChoice, inquiryPage, threadText } from './thread.js';

const FLOW_ID = 'buyer-questions';
const CLOSE = 'close';

const openPage = (ctx: StepContext) =>
  inquiryPage(ctx, (window) => ctx.services.inquiries.openForMember(ctx.contact.id, window));

const chosen = (ctx: StepContext) =>
  ctx.services.inquiries.memberThread(ctx.contact.id, dataString(ctx.data, 'inquiryId') ?? '');

/** Back to the list of open questions, saying `text`. */
const toList = (text: string): StepResult => ({ kind: 'start', flow: FLOW_ID, say: say(text) });

/** A refusal: a question gone or closed meanwhile goes back to the list; a bad answer is asked again. */
function refused(ctx: StepContext, error: InquiryError, length: number): StepResult {
  const text = ctx.t(`catalogue:inquiry.errors.${error}`, { max: INQUIRY_TEXT_MAX, count: length });
  return error === 'empty' || error === 'too_long' ? { kind: 'retry', error: text } : toList(text);
}

/**
 * "Buyer questions", for members of an approved cooperative: the questions buyers sent it that are
 * not closed, a page at a time; one thread, where what she writes is the cooperative's answer
 * (relayed to the buyer), or closing it after confirming.
 */
export const buyerQuestionsFlow: Flow = {
  id: FLOW_ID,
  start: 'list',
  menu: {
    labelKey: 'catalogue:menu.buyerQuestions',
    order: 22,
    visible: (ctx) => ctx.services.inquiries.answersBuyers(ctx.contact.id),
  },
  steps: {
    list: {
      async prompt(ctx) {
        const { total, lines } = await openPage(ctx);
        const pick = total > 0 ? [ctx.t('catalogue:questions.member.pick')] : [];
        return say(
          [ctx.t('catalogue:questions.member.count', { count: total }), ...lines, ...pick].join('\n'),
        );
      },
      async choices(ctx) {
        const { items, paging } = await openPage(ctx);
        return [...items.map((i) => inquiryChoice(ctx, i, 'member')), ...paging];
      },
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (input.choiceId.startsWith(INQUIRY)) {
          return { kind: 'goto', step: 'thread', data: { inquiryId: input.choiceId.slice(INQUIRY.length) } };
        }
        const { page } = await openPage(ctx);
        return { kind: 'start', flow: FLOW_ID, data: { page: turnedPage(input.choiceId, page) ?? page } };
      },
    },
    thread: {
      async prompt(ctx) {
        const thread = await chosen(ctx);
        if (!thread) return say(ctx.t('catalogue:inquiry.errors.not_found'));
        return say([threadText(ctx, thread, 'member'), ctx.t('catalogue:questions.member.write')].join('\n'));
      },
      choices: (ctx) => [{ id: CLOSE, label: ctx.t('catalogue:questions.member.close') }],
      async handle(ctx, input) {
        if (input.kind === 'choice') return { kind: 'goto', step: 'confirmClose' };
        if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('catalogue:ask.textOnly') };
        const inquiryId = dataString(ctx.data, 'inquiryId') ?? '';
        const outcome = await ctx.services.inquiries.answer(ctx.contact.id, inquiryId, input.text, ctx.now);
        if (!outcome.ok) return refused(ctx, outcome.error, input.text.trim().length);
        return toList(ctx.t('catalogue:questions.member.sent'));
      },
    },
    confirmClose: {
      bare: true,
      choices: (ctx) =>
        yesNoChoices(ctx, 'catalogue:questions.member.closeYes', 'catalogue:questions.member.closeNo'),
      prompt: (ctx) => say(ctx.t('catalogue:questions.member.closeConfirm')),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'goto', step: 'thread' };
        const inquiryId = dataString(ctx.data, 'inquiryId') ?? '';
        const outcome = await ctx.services.inquiries.close(ctx.contact.id, inquiryId, ctx.channel, ctx.now);
        if (!outcome.ok) return refused(ctx, outcome.error, 0);
        return toList(ctx.t('catalogue:questions.member.closed'));
      },
    },
  },
};
