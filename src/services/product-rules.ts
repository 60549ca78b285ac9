import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_PRICE_MAJOR } from '../i18n/parse.js';
import {
  AVAILABILITY,
  CATEGORIES,
  PAYMENT_METHODS,
  PRODUCT_DESCRIPTION_MAX,
  PRODUCT_NAME_MAX,
  PRODUCT_PHOTOS_MAX,
  UNITS,
} from '../products/terms.js';

/**
 * What a product may hold, in one place: the posting flow, "my products" and the service read the
 * same limits and lists.
 */

export const PRODUCT_NAME_MIN = 2;
export const CURRENCIES = ['ILS', 'USD', 'JOD'] as const;

/** A product as a member posts it; the price is in integer minor units of `currency`. */
export const productDraftSchema = z.object({
  name: z.string().trim().min(PRODUCT_NAME_MIN).max(PRODUCT_NAME_MAX),
  description: z.string().trim().max(PRODUCT_DESCRIPTION_MAX).nullable(),
  category: z.enum(CATEGORIES),
  // JOD has three decimals, so its largest price in fils bounds every currency.
  priceMinor: z
    .number()
    .int()
    .positive()
    .max(MAX_PRICE_MAJOR * 1000),
  currency: z.enum(CURRENCIES),
  unit: z.enum(UNITS),
  availability: z.enum(AVAILABILITY),
  paymentMethods: z.array(z.enum(PAYMENT_METHODS)).min(1),
  /** Stored photos (Media ids), the first shown on the card; a photo sent twice counts once. */
  photoMediaIds: z
    .array(z.string().min(1))
    .max(PRODUCT_PHOTOS_MAX)
    .transform((ids) => [...new Set(ids)]),
});
export type ProductDraft = z.input<typeof productDraftSchema>;
export type ProductDraftField = keyof ProductDraft;

/** Audit actions of products; the member's own hide/show is `product.visibility`. */
export const PRODUCT_ACTIONS = {
  create: 'product.create',
  update: 'product.update',
  visibility: 'product.visibility',
  remove: 'product.delete',
  publish: 'product.publish',
  hide: 'product.hide',
} as const;

/** How a product stands with the coordinators (see the Product model). */
export interface ProductApproval {
  approvedAt: Date | null;
  refusedAt: Date | null;
}

/**
 * The status a hidden product takes when shown again: published when coordinators (or the bot, with
 * moderation off) approved what it shows now; otherwise waiting for them. A product they hid goes
 * back to them even with moderation off.
 */
export function statusWhenShown(product: ProductApproval, moderation: boolean): 'PUBLISHED' | 'PENDING' {
  if (product.approvedAt) return 'PUBLISHED';
  return !moderation && !product.refusedAt ? 'PUBLISHED' : 'PENDING';
}

/**
 * What coordinators look at again after an edit when moderation is on: what a product says and shows
 * (a name, a description or a photo could be anything), photos as Media ids in order. The price, unit,
 * category, availability and payment ways are the member's business and keep a product as it is.
 */
export interface ReviewedContent {
  name: string;
  description: string | null;
  photoMediaIds: readonly string[];
}

/** Short enough for a publish button's data: `product.publish:<25-char id>:<revision>` in 64 bytes. */
const REVISION_LENGTH = 10;

/**
 * A fingerprint of what coordinators review (equal content, equal revision): a review post's publish button carries it, so a post
 * that showed other content than the product holds now cannot publish it. Base64url, so never ':'.
 */
export function reviewRevision(content: ReviewedContent): string {
  const reviewed = JSON.stringify([content.name, content.description, content.photoMediaIds]);
  return createHash('sha256').update(reviewed).digest('base64url').slice(0, REVISION_LENGTH);
}
