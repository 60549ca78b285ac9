import type { ProductStatus } from '../generated/sqlite/client.js';
import { CARD_INCLUDE, type ProductWithCard } from '../products/card-query.js';
import { type AuditActor, createAuditService } from './audit.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createNotifier } from './notify.js';
import { type ProductReviewReason, productNotice, productReviewPost } from './product-messages.js';
import { PRODUCT_ACTIONS, reviewRevision } from './product-rules.js';

/**
 * A coordinator's decision: `already` when the product was not in a state it changes (a double press),
 * `stale` when the post she pressed showed other content than the product holds now.
 */
export type ModerationOutcome =
  | { ok: true; product: ProductWithCard }
  | { ok: false; error: 'not_found' | 'already' | 'stale'; product?: ProductWithCard };

/** What the coordinators' chat posts are about, and the audit log's target type of products. */
export const PRODUCT_TARGET = 'product';

/**
 * A decision: from which statuses, what it writes (the status, and whether coordinators approved or
 * refused what the product shows), how it is audited, and what the member is told.
 */
interface Decision {
  from: ProductStatus[];
  marks: (now: Date) => { status: ProductStatus; approvedAt: Date | null; refusedAt: Date | null };
  action: string;
  notice: string;
}

const PUBLISH: Decision = {
  from: ['PENDING'],
  marks: (now) => ({ status: 'PUBLISHED', approvedAt: now, refusedAt: null }),
  action: PRODUCT_ACTIONS.publish,
  notice: 'products:notify.published',
};

const HIDE: Decision = {
  from: ['PENDING', 'PUBLISHED'],
  marks: (now) => ({ status: 'HIDDEN', approvedAt: null, refusedAt: now }),
  action: PRODUCT_ACTIONS.hide,
  notice: 'products:notify.hidden',
};

/** The photos a product shows, as Media ids in order. */
export async function productPhotoIds(db: DbClient, productId: string): Promise<string[]> {
  const rows = await db.productMedia.findMany({
    where: { productId },
    orderBy: { position: 'asc' },
    select: { mediaId: true },
  });
  return rows.map((row) => row.mediaId);
}

/**
 * The coordinators' side of products (DESIGN §6): posts in their chat (card, photo, publish / hide)
 * and their decisions, the same from the chat and the admin API. A decision changes a product only
 * from the statuses it applies to, so a double press or a forged id changes nothing; a publish from a
 * post also needs the revision it showed (see `reviewRevision`), so an older post of a product edited
 * since publishes nothing.
 */
export function createProductModeration(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);

  /** Who hears about a decision: the author while she is still in its cooperative, else its members. */
  async function audience(product: ProductWithCard): Promise<string[]> {
    const members = await db.membership.findMany({
      where: { cooperativeId: product.cooperativeId, status: 'ACTIVE', contact: { erasedAt: null } },
      select: { contactId: true },
    });
    const ids = members.map((m) => m.contactId);
    return product.createdById && ids.includes(product.createdById) ? [product.createdById] : ids;
  }

  /** Whether a post's revision is what the product shows now; without one (the admin API), yes. */
  async function stillShows(product: ProductWithCard, shown: string | undefined): Promise<boolean> {
    if (shown === undefined) return true;
    return shown === reviewRevision({ ...product, photoMediaIds: await productPhotoIds(db, product.id) });
  }

  async function decide(
    id: string,
    decision: Decision,
    actor: AuditActor,
    now: Date,
    shown?: string,
  ): Promise<ModerationOutcome> {
    const before = await db.product.findUnique({ where: { id }, include: CARD_INCLUDE });
    if (!before) return { ok: false, error: 'not_found' };
    const already = { ok: false, error: 'already', product: before } as const;
    if (!decision.from.includes(before.status)) return already;
    if (!(await stillShows(before, shown))) {
      return { ok: false, error: 'stale', product: before };
    }
    const marks = decision.marks(now);
    const { count } = await db.product.updateMany({
      where: { id, status: { in: decision.from } },
      data: marks,
    });
    if (count === 0) return already;
    const product = { ...before, ...marks };
    const entry = await audit.record({
      actor,
      action: decision.action,
      targetType: PRODUCT_TARGET,
      targetId: id,
      at: now,
    });
    for (const contactId of await audience(product)) {
      await notify.toContact(contactId, productNotice(decision.notice, product.name), {
        kind: 'product-status',
        dedupeKey: `product-status:${entry.id}:${contactId}`,
      });
    }
    return { ok: true, product };
  }

  return {
    /** Posts a waiting product to the coordinators' chat; its publish button names the revision shown. */
    async postForReview(product: ProductWithCard, reason: ProductReviewReason): Promise<void> {
      const author = product.createdById
        ? ((await db.contact.findUnique({ where: { id: product.createdById } }))?.displayName ?? null)
        : null;
      const photoMediaIds = await productPhotoIds(db, product.id);
      const revision = reviewRevision({ ...product, photoMediaIds });
      await notify.toCoordinators(
        { type: PRODUCT_TARGET, id: product.id },
        productReviewPost(product, { reason, author, photos: photoMediaIds.length, revision }),
        { kind: 'product-review' },
      );
    },

    /**
     * A coordinator publishes a product waiting for approval; its author (or cooperative) is told.
     * `shown` is the revision the pressed post showed (the admin API, which shows the product as it
     * is, passes none).
     */
    publish: (
      productId: string,
      actor: AuditActor,
      now = deps.clock(),
      shown?: string,
    ): Promise<ModerationOutcome> => decide(productId, PUBLISH, actor, now, shown),

    /** A coordinator hides a waiting or published product; its author (or cooperative) is told. */
    hide: (productId: string, actor: AuditActor, now = deps.clock()): Promise<ModerationOutcome> =>
      decide(productId, HIDE, actor, now),
  };
}
