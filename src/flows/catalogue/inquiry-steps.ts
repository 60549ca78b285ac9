import { dataString, type Step, type StepContext, type StepResult, say } from '../../core/flow.js';
import type { PageWindow } from '../../services/db.js';
import type { InquiryError, InquiryOutcome, InquiryThread } from '../../services/inquiries.js';
import { turnedPage } from '../funding/paging.js';
import {
  INQUIRY,
  inquiryChoice,
  inquiryErrorText,
  inquiryPage,
  type Listed,
  type Reader,
  threadText,
} from './thread.js';

/** What tells the buyer's "my questions" from the members' "buyer questions". */
export interface InquirySide {
  flowId: string;
  reader: Reader;
  /** A page of the inquiries she sees. */
  list(ctx: StepContext, window: PageWindow): Promise<{ items: Listed[]; total: number }>;
  /** The chosen inquiry with its thread, or null when she may not (or no longer) see it. */
  thread(ctx: StepContext, inquiryId: string): Promise<InquiryThread | null>;
  /** What she writes in the thread: relayed to the other side. */
  write(ctx: StepContext, inquiryId: string, text: string): Promise<InquiryOutcome>;
  /** The line under the thread: what she can do there now. */
  footer(ctx: StepContext, thread: InquiryThread): string;
}

export const chosenInquiry = (ctx: StepContext) => dataString(ctx.data, 'inquiryId') ?? '';

/**
 * The list of her inquiries (a page at a time) and one thread, where what she writes goes to the other
 * side; `toList` and `refused` serve the side's own steps too.
 */
export function inquirySteps(side: InquirySide) {
  const page = (ctx: StepContext) => inquiryPage(ctx, (window) => side.list(ctx, window));

  /** Back to the list, saying `text`. */
  const toList = (text: string): StepResult => ({ kind: 'start', flow: side.flowId, say: say(text) });

  /** A refusal: an inquiry gone or closed meanwhile goes back to the list; a bad text is asked again. */
  const refused = (ctx: StepContext, error: InquiryError, text: string): StepResult => {
    const message = inquiryErrorText(ctx, error, text);
    return error === 'empty' || error === 'too_long' ? { kind: 'retry', error: message } : toList(message);
  };

  const list: Step = {
    async prompt(ctx) {
      const { total, lines } = await page(ctx);
      const pick = total > 0 ? [ctx.t(`catalogue:questions.${side.reader}.pick`)] : [];
      return say(
        [ctx.t(`catalogue:questions.${side.reader}.count`, { count: total }), ...lines, ...pick].join('\n'),
      );
    },
    async choices(ctx) {
      const { items, paging } = await page(ctx);
      return [...items.map((i) => inquiryChoice(ctx, i, side.reader)), ...paging];
    },
    async handle(ctx, input) {
      if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
      if (input.choiceId.startsWith(INQUIRY)) {
        return { kind: 'goto', step: 'thread', data: { inquiryId: input.choiceId.slice(INQUIRY.length) } };
      }
      const { page: current } = await page(ctx);
      return {
        kind: 'start',
        flow: side.flowId,
        data: { page: turnedPage(input.choiceId, current) ?? current },
      };
    },
  };

  const thread: Step = {
    async prompt(ctx) {
      const found = await side.thread(ctx, chosenInquiry(ctx));
      if (!found) return say(ctx.t('catalogue:inquiry.errors.not_found'));
      return say([threadText(ctx, found, side.reader), side.footer(ctx, found)].join('\n'));
    },
    async handle(ctx, input) {
      if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('catalogue:ask.textOnly') };
      const outcome = await side.write(ctx, chosenInquiry(ctx), input.text);
      if (!outcome.ok) return refused(ctx, outcome.error, input.text);
      return toList(ctx.t(`catalogue:questions.${side.reader}.sent`));
    },
  };

  return { list, thread, toList, refused };
}
