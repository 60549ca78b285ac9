import { dataString, type Flow, type Step, type StepContext, type StepResult, say } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { productCard } from '../../products/card.js';
import { type ProductWithCard, toCardProduct } from '../../products/card-query.js';
import { currentPage, pageLines, pageWindow, pagingChoices, turnedPage } from '../funding/paging.js';
import { readYesNo, yesNoChoices } from '../yes-no.js';
import { canPostProducts } from './draft.js';
import { editSteps } from './mine-edit.js';
import { backTo, chosenProduct, MY_PRODUCTS, mine, refused } from './my-product.js';

const PAGE_SIZE = 5;
const PRODUCT = 'product:';

interface ProductPage {
  items: ProductWithCard[];
  total: number;
  page: number;
}

/** The page of her cooperative's products the list is on, with their total. */
async function readPage(ctx: StepContext): Promise<ProductPage> {
  const { products } = ctx.services;
  const total = await products.countForMember(ctx.contact.id);
  const page = currentPage(ctx.data, total, PAGE_SIZE);
  const items = await products.listForMember(ctx.contact.id, pageWindow(page, PAGE_SIZE));
  return { items, total, page };
}

/** Pages read, by the context of one render: its prompt and its choices share that context. */
const pagesRead = new WeakMap<StepContext, Promise<ProductPage>>();

/** `readPage` once per render. */
function productPage(ctx: StepContext): Promise<ProductPage> {
  const page = pagesRead.get(ctx) ?? readPage(ctx);
  pagesRead.set(ctx, page);
  return page;
}

const listStep: Step = {
  async prompt(ctx) {
    const { items, total, page } = await productPage(ctx);
    const first = (page - 1) * PAGE_SIZE;
    const lines = items.map((p, i) =>
      ctx.t(mine('line'), {
        number: first + i + 1,
        name: p.name,
        status: ctx.t(mine(`statuses.${p.status}`)),
      }),
    );
    const head = [ctx.t(mine('count'), { count: total }), ...pageLines(ctx, page, total, PAGE_SIZE)];
    return say([...head, ...lines, ...(total > 0 ? [ctx.t(mine('pick'))] : [])].join('\n'));
  },
  async choices(ctx) {
    const { items, total, page } = await productPage(ctx);
    return [
      ...items.map((p) => ({ id: `${PRODUCT}${p.id}`, label: p.name })),
      ...pagingChoices(ctx, page, total, PAGE_SIZE),
      { id: 'post', label: ctx.t(mine('post')) },
    ];
  },
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'post') return { kind: 'start', flow: 'post-product' };
    if (input.choiceId.startsWith(PRODUCT)) {
      return { kind: 'goto', step: 'product', data: { productId: input.choiceId.slice(PRODUCT.length) } };
    }
    const { page } = await productPage(ctx);
    return { kind: 'start', flow: MY_PRODUCTS, data: { page: turnedPage(input.choiceId, page) ?? page } };
  },
};

/** The actions on one product, as its status and availability allow. */
function actionChoices(ctx: StepContext, product: ProductWithCard): Choice[] {
  const choice = (id: string) => ({ id, label: ctx.t(mine(id)) });
  return [
    choice('edit'),
    choice(product.status === 'HIDDEN' ? 'show' : 'hide'),
    choice(product.availability === 'sold_out' ? 'available' : 'soldOut'),
    choice('delete'),
  ];
}

/** Hides or shows it, or marks it sold out or available, and says how it went. */
async function act(ctx: StepContext, product: ProductWithCard, action: string): Promise<StepResult> {
  const { products } = ctx.services;
  const visibility = { hide: 'hidden', show: 'visible' } as const;
  const result =
    action === 'hide' || action === 'show'
      ? await products.setVisibility(ctx.contact.id, product.id, visibility[action], ctx.now, ctx.channel)
      : await products.update(
          ctx.contact.id,
          product.id,
          { availability: action === 'soldOut' ? 'sold_out' : 'available' },
          ctx.now,
          ctx.channel,
        );
  if (!result.ok) return refused(ctx, result.error);
  const done: Record<string, string> = {
    hide: 'hidden',
    show: result.review ? 'shownForReview' : 'shown',
    soldOut: 'markedSoldOut',
    available: 'markedAvailable',
  };
  return backTo(ctx, ctx.t(mine(done[action] ?? 'saved'), { name: product.name }), product.id);
}

/** One product: its card as buyers see it, its status, and what she can do with it. */
const productStep: Step = {
  async prompt(ctx) {
    const product = await chosenProduct(ctx);
    if (!product) return say(ctx.t(mine('notFound')));
    return [
      productCard(ctx.t, ctx.locale, toCardProduct(product)),
      { text: ctx.t(mine('status'), { status: ctx.t(mine(`statuses.${product.status}`)) }) },
    ];
  },
  async choices(ctx) {
    const product = await chosenProduct(ctx);
    return product ? actionChoices(ctx, product) : [];
  },
  async handle(ctx, input) {
    const product = await chosenProduct(ctx);
    if (!product) return backTo(ctx, ctx.t(mine('notFound')));
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === 'edit') return { kind: 'goto', step: 'editField' };
    if (input.choiceId === 'delete') return { kind: 'goto', step: 'delete' };
    return act(ctx, product, input.choiceId);
  },
};

/** "Delete it for good?": yes deletes, no keeps it. */
const deleteStep: Step = {
  bare: true,
  async prompt(ctx) {
    const product = await chosenProduct(ctx);
    return say(ctx.t(mine('deleteConfirm'), { name: product?.name ?? '' }));
  },
  choices: (ctx) => yesNoChoices(ctx, mine('yes'), mine('no')),
  async handle(ctx, input) {
    const answer = readYesNo(input);
    if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    const productId = dataString(ctx.data, 'productId') ?? '';
    if (answer === 'no') return backTo(ctx, ctx.t(mine('kept')), productId);
    const result = await ctx.services.products.remove(ctx.contact.id, productId, ctx.now, ctx.channel);
    if (!result.ok) return refused(ctx, result.error);
    return backTo(ctx, ctx.t(mine('deleted'), { name: result.product.name }));
  },
};

/**
 * "My products" (members of an approved cooperative): her cooperative's products a page at a time,
 * whoever posted them; each one's card and status, to change a field, hide or show it, mark it sold
 * out or available again, or delete it after confirming. The service checks every action.
 */
export const myProductsFlow: Flow = {
  id: MY_PRODUCTS,
  start: 'list',
  menu: { labelKey: 'products:menu.mine', order: 21, visible: canPostProducts },
  steps: {
    list: listStep,
    product: productStep,
    delete: deleteStep,
    ...editSteps,
  },
};
