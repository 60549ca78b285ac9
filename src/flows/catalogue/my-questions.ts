import type { Flow } from '../../core/flow.js';
import { inquirySteps } from './inquiry-steps.js';

const FLOW_ID = 'my-questions';

const inquiries = inquirySteps({
  flowId: FLOW_ID,
  reader: 'buyer',
  list: (ctx, window) => ctx.services.inquiries.ofBuyer(ctx.contact.id, window),
  thread: (ctx, inquiryId) => ctx.services.inquiries.buyerThread(ctx.contact.id, inquiryId),
  write: (ctx, inquiryId, text) =>
    ctx.services.inquiries.buyerReply(ctx.contact.id, inquiryId, text, ctx.now),
  footer: (ctx, thread) =>
    ctx.t(
      thread.status === 'CLOSED' ? 'catalogue:questions.buyer.closed' : 'catalogue:questions.buyer.write',
    ),
});

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
  steps: { list: inquiries.list, thread: inquiries.thread },
};
