/**
 * The fixed vocabularies of a product, stored as slugs; their words live in `locales/*\/products.json`
 * under `categories.*`, `units.*`, `availability.*` and `payment.*`.
 */
export const CATEGORIES = [
  'food',
  'embroidery',
  'clothing',
  'dairy',
  'agriculture',
  'crafts',
  'cosmetics',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const UNITS = ['piece', 'kg', 'gram', 'litre', 'box', 'jar', 'dozen', 'metre', 'set'] as const;
export type Unit = (typeof UNITS)[number];

/** `sold_out` keeps a product listed (marked) so buyers can still ask about the next batch. */
export const AVAILABILITY = ['available', 'on_order', 'sold_out'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const PAYMENT_METHODS = ['cash', 'bank_app', 'e_wallet'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const isCategory = (v: unknown): v is Category => CATEGORIES.includes(v as Category);
export const isUnit = (v: unknown): v is Unit => UNITS.includes(v as Unit);
export const isAvailability = (v: unknown): v is Availability => AVAILABILITY.includes(v as Availability);
export const isPaymentMethod = (v: unknown): v is PaymentMethod =>
  PAYMENT_METHODS.includes(v as PaymentMethod);

/** Limits of what a member types (DESIGN §11: every input has a length limit). */
export const PRODUCT_NAME_MAX = 80;
export const PRODUCT_DESCRIPTION_MAX = 600;
/** Photos one product may carry. */
export const PRODUCT_PHOTOS_MAX = 4;
