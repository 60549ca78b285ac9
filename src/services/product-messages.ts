import { adminChoice } from '../admin-chat/types.js';
import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import type { Translate } from '../i18n/i18n.js';
import { productCard } from '../products/card.js';
import { type ProductWithCard, toCardProduct } from '../products/card-query.js';

/** Why a product is posted to the coordinators: new, edited, or shown again after being hidden. */
export type ProductReviewReason = 'new' | 'edited' | 'shown';

/** A publish button's target: the product and the revision of what the post shows (`reviewRevision`). */
export const publishTarget = (productId: string, revision: string) => `${productId}:${revision}`;

/** The product and revision a publish button names; a revision missing (a forged button) is empty. */
export function readPublishTarget(targetId: string): { productId: string; revision: string } {
  const [productId = '', revision = ''] = targetId.split(':');
  return { productId, revision };
}

/**
 * The coordinators' post about a product waiting for them: the card buyers would see (with its first
 * photo), who posted it and how many photos it has, and the publish / hide buttons.
 */
export function productReviewPost(
  product: ProductWithCard,
  context: { reason: ProductReviewReason; author: string | null; photos: number; revision: string },
) {
  return (t: Translate, locale: Locale): OutboundMessage => {
    const card = productCard(t, locale, toCardProduct(product));
    const lines = [
      t(`products:review.${context.reason}`),
      card.text,
      t('products:review.author', { name: context.author ?? t('products:review.unnamed') }),
      ...(context.photos > 1 ? [t('products:review.photos', { count: context.photos })] : []),
    ];
    return {
      ...card,
      text: lines.join('\n'),
      choices: [
        adminChoice(
          'product.publish',
          publishTarget(product.id, context.revision),
          t('products:review.publish'),
        ),
        adminChoice('product.hide', product.id, t('products:review.hide')),
      ],
    };
  };
}

/** A member's news about her product, from one locale key. */
export const productNotice =
  (key: string, name: string) =>
  (t: Translate): OutboundMessage => ({ text: t(key, { name }) });
