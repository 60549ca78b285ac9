import type { StepContext } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import type { PageWindow } from '../../services/db.js';
import {
  buyerName,
  INQUIRY_TEXT_MAX,
  type InquiryError,
  type InquiryThread,
} from '../../services/inquiries.js';
import { currentPage, pageLines, pageWindow, pagingChoices } from '../funding/paging.js';
import { PAGE_SIZE } from './listing.js';

/** Messages of a thread shown at once: the latest ones. */
const THREAD_TAIL = 10;
export const INQUIRY = 'inquiry:';

/** Who reads a thread: the buyer who asked, or a member of the cooperative she asked. */
export type Reader = 'buyer' | 'member';

export type Listed = Pick<InquiryThread, 'id' | 'status' | 'product' | 'cooperative' | 'buyer'>;

/** Why her text or question was refused; `text` is what she wrote ('' when nothing was). */
export const inquiryErrorText = (ctx: StepContext, error: InquiryError, text: string) =>
  ctx.t(`catalogue:inquiry.errors.${error}`, { max: INQUIRY_TEXT_MAX, count: text.trim().length });

/** The product a thread is about, or "your cooperative" when none (it was deleted). */
const productOf = (ctx: StepContext, inquiry: Pick<Listed, 'product'>) =>
  inquiry.product?.name ?? ctx.t('catalogue:inquiry.noProduct');

/** The buyer as members know her: her first name, or "a buyer". */
const buyerOf = (ctx: StepContext, inquiry: Pick<Listed, 'buyer'>) =>
  buyerName(inquiry.buyer.displayName) ?? ctx.t('catalogue:inquiry.aBuyer');

/** One inquiry as a choice: its status, and who (for members) or which cooperative (for buyers). */
export function inquiryChoice(ctx: StepContext, inquiry: Listed, reader: Reader): Choice {
  return {
    id: `${INQUIRY}${inquiry.id}`,
    label: ctx.t(`catalogue:questions.${reader}.choice`, {
      status: ctx.t(`catalogue:questions.${reader}.statusIcon.${inquiry.status}`),
      who: reader === 'member' ? buyerOf(ctx, inquiry) : inquiry.cooperative.name,
      product: productOf(ctx, inquiry),
    }),
  };
}

/** The thread as `reader` sees it: the latest messages, the cooperative speaking as one. */
export function threadText(ctx: StepContext, thread: InquiryThread, reader: Reader): string {
  const head = ctx.t(`catalogue:questions.${reader}.title`, {
    product: productOf(ctx, thread),
    who: reader === 'member' ? buyerOf(ctx, thread) : thread.cooperative.name,
    status: ctx.t(`catalogue:questions.${reader}.status.${thread.status}`),
  });
  const lines = thread.messages.slice(-THREAD_TAIL).map((m) => {
    if (m.authorRole === 'member')
      return ctx.t('catalogue:thread.cooperative', { name: thread.cooperative.name, text: m.text });
    if (reader === 'buyer') return ctx.t('catalogue:thread.you', { text: m.text });
    return ctx.t('catalogue:thread.buyer', { name: buyerOf(ctx, thread), text: m.text });
  });
  return [head, ...lines].join('\n');
}

/** A page of inquiries from `list` (the page in the flow data, kept within the pages there are). */
export async function inquiryPage<T>(
  ctx: StepContext,
  list: (window: PageWindow) => Promise<{ items: T[]; total: number }>,
) {
  const { total } = await list({ take: 0 });
  const page = currentPage(ctx.data, total, PAGE_SIZE);
  const { items } = await list(pageWindow(page, PAGE_SIZE));
  return {
    items,
    total,
    page,
    lines: pageLines(ctx, page, total, PAGE_SIZE),
    paging: pagingChoices(ctx, page, total, PAGE_SIZE),
  };
}
