import type { FlowData, StepContext } from '../../core/flow.js';
import type { Cooperative } from '../../generated/sqlite/client.js';
import type { Currency } from '../../i18n/format.js';
import type { CardProduct } from '../../products/card.js';
import type { ProductDraft } from '../../services/product-rules.js';

const DRAFT_KEYS = [
  'name',
  'description',
  'category',
  'priceMinor',
  'currency',
  'unit',
  'availability',
  'paymentMethods',
  'photoMediaIds',
] as const satisfies readonly (keyof ProductDraft)[];

/** The answers collected so far, as a (possibly incomplete) draft. */
export const draftOf = (data: FlowData): Partial<ProductDraft> =>
  Object.fromEntries(DRAFT_KEYS.filter((k) => k in data).map((k) => [k, data[k]]));

/** A draft drawn as the card buyers will see, with the cooperative that sells it. */
export function draftCard(draft: Partial<ProductDraft>, cooperative: Cooperative): CardProduct {
  return {
    name: draft.name ?? '',
    description: draft.description ?? null,
    priceMinor: draft.priceMinor ?? 0,
    currency: (draft.currency ?? 'ILS') as Currency,
    unit: draft.unit ?? 'piece',
    availability: draft.availability ?? 'available',
    paymentMethods: draft.paymentMethods ?? [],
    cooperative,
    photoMediaId: draft.photoMediaIds?.[0] ?? null,
  };
}

/** Whether she may post and manage products: a member of an approved cooperative. */
export async function canPostProducts(ctx: StepContext): Promise<boolean> {
  return (await ctx.services.products.postingCooperative(ctx.contact.id)) !== null;
}
