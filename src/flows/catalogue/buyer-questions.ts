import type { Flow } from '../../core/flow.js';
import { say } from '../../core/flow.js';
import { readYesNo, yesNoChoices } from '../yes-no.js';
import { chosenInquiry, inquirySteps } from './inquiry-steps.js';

const FLOW_ID = 'buyer-questions';
const CLOSE = 'close';

const inquiries = inquirySteps({
  flowId: FLOW_ID,
  reader: 'member',
  list: (ctx, window) => ctx.services.inquiries.openForMember(ctx.contact.id, window),
  thread: (ctx, inquiryId) => ctx.services.inquiries.memberThread(ctx.contact.id, inquiryId),
  write: (ctx, inquiryId, text) => ctx.services.inquiries.answer(ctx.contact.id, inquiryId, text, ctx.now),
  footer: (ctx) => ctx.t('catalogue:questions.member.write'),
});

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
    list: inquiries.list,
    thread: {
      ...inquiries.thread,
      choices: (ctx) => [{ id: CLOSE, label: ctx.t('catalogue:questions.member.close') }],
      handle: (ctx, input) =>
        input.kind === 'choice'
          ? { kind: 'goto', step: 'confirmClose' }
          : inquiries.thread.handle(ctx, input),
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
        const { contact, channel, now } = ctx;
        const outcome = await ctx.services.inquiries.close(contact.id, chosenInquiry(ctx), channel, now);
        if (!outcome.ok) return inquiries.refused(ctx, outcome.error, '');
        return inquiries.toList(ctx.t('catalogue:questions.member.closed'));
      },
    },
  },
};
