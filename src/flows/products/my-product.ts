import { dataString, type StepContext, type StepResult, say } from '../../core/flow.js';
import type { ProductChangeError } from '../../services/products.js';

/** The "my products" flow's id. */
export const MY_PRODUCTS = 'my-products';

/** A key of "my products" words. */
export const mine = (key: string) => `products:mine.${key}`;

/** The product she picked, while it is still her cooperative's. */
export const chosenProduct = (ctx: StepContext) =>
  ctx.services.products.getForMember(ctx.contact.id, dataString(ctx.data, 'productId') ?? '');

/** Back to one product (or the list, without `productId`) after an action, saying what happened. */
export const backTo = (ctx: StepContext, text: string, productId?: string): StepResult => ({
  kind: 'start',
  flow: MY_PRODUCTS,
  step: productId ? 'product' : 'list',
  data: { page: ctx.data.page, ...(productId ? { productId } : {}) },
  say: say(text),
});

/** What a refused change tells her: the list again when the product is gone or not hers. */
export function refused(ctx: StepContext, error: ProductChangeError): StepResult {
  // The one answer that passes the questions yet is refused: a photo no longer stored.
  if (error === 'invalid') return { kind: 'retry', error: ctx.t('products:fields.photos.again') };
  return backTo(ctx, ctx.t(mine(error === 'not_allowed' ? 'notAllowed' : 'notFound')));
}
