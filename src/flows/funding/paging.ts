import type { FlowData, StepContext } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';

/** Items per page of a list: with paging and navigation it still fits WhatsApp's ten-row list. */
export const PAGE_SIZE = 6;

const NEXT = 'page:next';
const PREVIOUS = 'page:previous';

const pageCount = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** The page a flow is on (`data.page`), kept within the pages `total` items fill. */
export function currentPage(data: FlowData, total: number, size = PAGE_SIZE): number {
  const page = typeof data.page === 'number' && Number.isInteger(data.page) ? data.page : 1;
  return Math.min(Math.max(page, 1), pageCount(total, size));
}

/** Prisma's skip/take for a page. */
export const pageWindow = (page: number, size = PAGE_SIZE) => ({ skip: (page - 1) * size, take: size });

/** "Page 2 of 3", or nothing when everything fits on one page. */
export function pageLines(ctx: StepContext, page: number, total: number, size = PAGE_SIZE): string[] {
  const pages = pageCount(total, size);
  return pages > 1 ? [ctx.t('funding:paging.page', { page, pages })] : [];
}

/** Previous / next buttons, only where there is a page to go to. */
export function pagingChoices(ctx: StepContext, page: number, total: number, size = PAGE_SIZE): Choice[] {
  return [
    ...(page > 1 ? [{ id: PREVIOUS, label: ctx.t('funding:paging.previous') }] : []),
    ...(page < pageCount(total, size) ? [{ id: NEXT, label: ctx.t('funding:paging.next') }] : []),
  ];
}

/** The page a paging button leads to from `page`; null for any other choice. */
export function turnedPage(choiceId: string, page: number): number | null {
  if (choiceId === NEXT) return page + 1;
  if (choiceId === PREVIOUS) return page - 1;
  return null;
}
