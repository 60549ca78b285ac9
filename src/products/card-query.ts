import type { Prisma } from '../generated/sqlite/client.js';
import type { Currency } from '../i18n/format.js';
import type { CardProduct } from './card.js';

/** What to load with a product to draw its card: the cooperative and the first photo. */
export const CARD_INCLUDE = {
  cooperative: true,
  photos: { orderBy: { position: 'asc' }, take: 1 },
} as const satisfies Prisma.ProductInclude;

export type ProductWithCard = Prisma.ProductGetPayload<{ include: typeof CARD_INCLUDE }>;

/** The card's view of a product loaded with CARD_INCLUDE. */
export function toCardProduct(row: ProductWithCard): CardProduct {
  return {
    name: row.name,
    description: row.description,
    priceMinor: row.priceMinor,
    currency: row.currency as Currency,
    unit: row.unit,
    availability: row.availability,
    paymentMethods: Array.isArray(row.paymentMethods) ? (row.paymentMethods as string[]) : [],
    cooperative: {
      name: row.cooperative.name,
      governorate: row.cooperative.governorate,
      publishContact: row.cooperative.publishContact,
      contactPhone: row.cooperative.contactPhone,
    },
    photoMediaId: row.photos[0]?.mediaId ?? null,
  };
}
