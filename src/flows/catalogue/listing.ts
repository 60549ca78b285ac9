import {
  dataString,
  type FlowData,
  type Step,
  type StepContext,
  type StepResult,
  say,
} from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { formatPrice } from '../../i18n/format.js';
import { governorateName } from '../../products/card.js';
import type { ProductWithCard } from '../../products/card-query.js';
import type { PageWindow } from '../../services/db.js';
import { currentPage, pageLines, pageWindow, pagingChoices, turnedPage } from '../funding/paging.js';

export const CATALOGUE = 'catalogue';
/** Products per page: with paging and navigation it still fits WhatsApp's ten-row list. */
export const PAGE_SIZE = 5;
const PRODUCT = 'product:';

/** What the list shows, from the flow data: a cooperative's products, a search, or a category. */
export type Listing =
  | { kind: 'cooperative'; cooperativeId: string }
  | { kind: 'search'; query: string }
  | { kind: 'category'; category: string; governorate?: string };

/** Flow data that starts a list afresh on page 1, forgetting the other kinds of list. */
export function listData(listing: Listing): FlowData {
  return {
    cooperativeId: listing.kind === 'cooperative' ? listing.cooperativeId : null,
    query: listing.kind === 'search' ? listing.query : null,
    category: listing.kind === 'category' ? listing.category : null,
    governorate: listing.kind === 'category' ? (listing.governorate ?? null) : null,
    page: 1,
  };
}

function listingOf(data: FlowData): Listing {
  const cooperativeId = dataString(data, 'cooperativeId');
  if (cooperativeId) return { kind: 'cooperative', cooperativeId };
  const query = dataString(data, 'query');
  if (query) return { kind: 'search', query };
  return {
    kind: 'category',
    category: dataString(data, 'category') ?? '',
    governorate: dataString(data, 'governorate'),
  };
}

async function fetchPage(ctx: StepContext, listing: Listing, window: PageWindow) {
  const { catalogue } = ctx.services;
  if (listing.kind === 'search') return catalogue.search(listing.query, {}, window);
  const filter =
    listing.kind === 'cooperative'
      ? { cooperativeId: listing.cooperativeId }
      : { category: listing.category, governorate: listing.governorate };
  return { ...(await catalogue.browse(filter, window)), more: false };
}

/** The page of the list the flow is on (kept within the pages there are), with the total. */
async function listPage(ctx: StepContext) {
  const listing = listingOf(ctx.data);
  const asked = currentPage(ctx.data, Number.MAX_SAFE_INTEGER, PAGE_SIZE);
  let result = await fetchPage(ctx, listing, pageWindow(asked, PAGE_SIZE));
  const page = currentPage(ctx.data, result.total, PAGE_SIZE);
  if (page !== asked) result = await fetchPage(ctx, listing, pageWindow(page, PAGE_SIZE));
  return { listing, ...result, page };
}

/** "Olive oil — ‏25 ₪": a product as a choice. */
export const productLabel = (ctx: StepContext, product: ProductWithCard) =>
  ctx.t('catalogue:list.choice', {
    name: product.name,
    price: formatPrice(product.priceMinor, product.currency, ctx.locale),
  });

/** The list's first line: what it is and how many products it holds. */
async function heading(ctx: StepContext, listing: Listing, total: number): Promise<string> {
  if (listing.kind === 'search')
    return ctx.t('catalogue:list.search', { query: listing.query, count: total });
  if (listing.kind === 'cooperative') {
    const name = (await ctx.services.catalogue.cooperativeName(listing.cooperativeId)) ?? '';
    return ctx.t('catalogue:list.cooperative', { name, count: total });
  }
  const where = listing.governorate
    ? governorateName(listing.governorate, ctx.locale)
    : ctx.t('catalogue:browse.everywhere');
  return ctx.t('catalogue:list.category', {
    category: ctx.t(`products:categories.${listing.category}`),
    where,
    count: total,
  });
}

/** A page of products as choices (name — price), with next/previous; a product opens its card. */
export const listStep: Step = {
  async prompt(ctx) {
    const { listing, total, more, page } = await listPage(ctx);
    const lines = [
      await heading(ctx, listing, total),
      ...(more ? [ctx.t('catalogue:list.more', { max: total })] : []),
      ...pageLines(ctx, page, total, PAGE_SIZE),
      ctx.t(total > 0 ? 'catalogue:list.pick' : 'catalogue:list.empty'),
    ];
    return say(lines.join('\n'));
  },
  async choices(ctx): Promise<Choice[]> {
    const { items, total, page } = await listPage(ctx);
    return [
      ...items.map((p) => ({ id: `${PRODUCT}${p.id}`, label: productLabel(ctx, p) })),
      ...pagingChoices(ctx, page, total, PAGE_SIZE),
    ];
  },
  async handle(ctx, input): Promise<StepResult> {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId.startsWith(PRODUCT)) {
      return { kind: 'goto', step: 'card', data: { productId: input.choiceId.slice(PRODUCT.length) } };
    }
    const { page } = await listPage(ctx);
    // A page turn restarts the list instead of stacking it in the history, where "back" would
    // show the same page again.
    const to = turnedPage(input.choiceId, page) ?? page;
    return { kind: 'start', flow: CATALOGUE, step: 'list', data: { ...ctx.data, page: to } };
  },
};
