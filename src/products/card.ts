import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import { GOVERNORATES } from '../data/governorates.js';
import { isolate, isolateLtr } from '../i18n/bidi.js';
import { type Currency, formatPrice } from '../i18n/format.js';
import type { Translate } from '../i18n/i18n.js';

/** What a product card shows: the product and the cooperative that sells it. */
export interface CardProduct {
  name: string;
  description: string | null;
  priceMinor: number;
  currency: Currency;
  unit: string;
  availability: string;
  paymentMethods: readonly string[];
  cooperative: {
    name: string;
    governorate: string;
    /** The phone is shown only when the cooperative chose to publish it (DESIGN §11). */
    publishContact: boolean;
    contactPhone: string | null;
  };
  /** The first photo, if it has any. */
  photoMediaId?: string | null;
}

export function governorateName(slug: string, locale: Locale): string {
  const governorate = GOVERNORATES.find((g) => g.slug === slug);
  if (!governorate) return slug;
  return locale === 'ar' ? governorate.nameAr : governorate.nameEn;
}

/**
 * A product as buyers see it, with its photo: the same card in the catalogue and in the preview a
 * member checks before publishing. User-typed values are isolated so they cannot reorder the lines.
 */
export function productCard(t: Translate, locale: Locale, product: CardProduct): OutboundMessage {
  const { cooperative } = product;
  const lines = [t('products:card.name', { name: isolate(product.name) })];
  if (product.description) lines.push(isolate(product.description));
  lines.push(
    t('products:card.price', {
      price: formatPrice(product.priceMinor, product.currency, locale),
      unit: t(`products:units.${product.unit}`),
    }),
    t(`products:availability.${product.availability}`),
  );
  if (product.paymentMethods.length > 0) {
    const methods = product.paymentMethods
      .map((m) => t(`products:payment.${m}`))
      .join(locale === 'ar' ? '، ' : ', ');
    lines.push(t('products:card.payment', { methods }));
  }
  lines.push(
    t('products:card.cooperative', {
      cooperative: isolate(cooperative.name),
      governorate: governorateName(cooperative.governorate, locale),
    }),
  );
  if (cooperative.publishContact && cooperative.contactPhone) {
    lines.push(t('products:card.phone', { phone: isolateLtr(cooperative.contactPhone) }));
  }
  return {
    text: lines.join('\n'),
    ...(product.photoMediaId ? { photo: { kind: 'stored', mediaId: product.photoMediaId } } : {}),
  };
}
