import { readPublishTarget } from '../services/product-messages.js';
import type { ModerationOutcome } from '../services/products.js';
import { actorName } from './actor.js';
import { AdminChatError } from './errors.js';
import type { AdminActionContext, AdminChatModule, AdminResult } from './types.js';

const DONE_LINE = { publish: 'products:review.published', hide: 'products:review.hidden' } as const;

/** A publish button names the revision its post showed; a hide button the product alone. */
function decide(ctx: AdminActionContext, decision: 'publish' | 'hide'): Promise<ModerationOutcome> {
  const { products } = ctx.services;
  if (decision === 'hide') return products.hide(ctx.targetId, ctx.actor, ctx.now);
  const { productId, revision } = readPublishTarget(ctx.targetId);
  return products.publish(productId, ctx.actor, ctx.now, revision);
}

/**
 * A publish or hide button: the same service as the admin API decides (only a waiting product is
 * published, and only as the post showed it; a waiting or published one is hidden) and tells the
 * member; the post is marked. After publishing the buttons stay, so a coordinator can still hide it
 * from here; after hiding they go, and so do those of a post older than the product's content.
 */
const moderate =
  (decision: 'publish' | 'hide') =>
  async (ctx: AdminActionContext): Promise<AdminResult> => {
    const outcome = await decide(ctx, decision);
    if (!outcome.ok) {
      if (outcome.error === 'not_found') {
        throw new AdminChatError('notFound', { notice: ctx.t('products:review.notFound') });
      }
      if (outcome.error === 'stale') {
        const line = ctx.t('products:review.stale');
        return { notice: line, update: { appendLine: line, removeChoices: true } };
      }
      const status = outcome.product ? ctx.t(`products:mine.statuses.${outcome.product.status}`) : '';
      throw new AdminChatError('alreadyHandled', {
        notice: ctx.t('products:review.alreadyHandled', { status }),
      });
    }
    const line = ctx.t(DONE_LINE[decision], { by: await actorName(ctx) });
    return { notice: line, update: { appendLine: line, removeChoices: decision === 'hide' } };
  };

/** Products in the coordinators' chat (DESIGN §6): publish / hide on each product waiting for them. */
export const productsAdminModule: AdminChatModule = {
  actions: {
    'product.publish': moderate('publish'),
    'product.hide': moderate('hide'),
  },
};
