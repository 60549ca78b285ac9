import type { StepContext, StepInput } from '../../core/flow.js';
import type { Choice, OutboundMessage } from '../../core/message.js';
import type { ProductDraft } from '../../services/product-rules.js';
import type { FieldAnswer } from '../cooperative-registration/field-spec.js';

/** The questions about a product, in the order the posting flow asks them. */
export const PRODUCT_FIELDS = [
  'photos',
  'name',
  'category',
  'description',
  'price',
  'unit',
  'availability',
  'payment',
] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

export const isProductField = (id: string): id is ProductField =>
  (PRODUCT_FIELDS as readonly string[]).includes(id);

/**
 * One question about a product, without knowing where it leads: posting goes on to the next question
 * or back to the preview, "my products" saves the change at once. Its answer is the part of the
 * draft it fills (the price fills both its amount and its currency).
 */
export interface ProductFieldSpec {
  prompt(ctx: StepContext): OutboundMessage[];
  choices?(ctx: StepContext): Choice[];
  read(ctx: StepContext, input: StepInput): FieldAnswer<Partial<ProductDraft>>;
}

/** The locale key of a field's word. */
export const fieldKey = (field: ProductField, name: string) => `products:fields.${field}.${name}`;
