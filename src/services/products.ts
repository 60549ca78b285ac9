import type { Cooperative, ProductStatus } from '../generated/sqlite/client.js';
import { CARD_INCLUDE, type ProductWithCard } from '../products/card-query.js';
import { indexProduct, unindexProduct } from '../search/product-index.js';
import { productSearchFields } from '../search/search-text.js';
import { type AuditEntry, createAuditService } from './audit.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';
import { contactActor } from './memberships.js';
import { createProductModeration, PRODUCT_TARGET, productPhotoIds } from './product-moderation.js';
import {
  PRODUCT_ACTIONS,
  type ProductDraft,
  type ProductDraftField,
  productDraftSchema,
  reviewRevision,
  statusWhenShown,
} from './product-rules.js';

/** A new product, or why not: she is not a member of an approved cooperative, or the draft is wrong. */
export type CreateProductOutcome =
  | { ok: true; product: ProductWithCard }
  | { ok: false; error: 'not_member' | 'invalid' };

/** Why a member's change did not happen: the product is gone, not her cooperative's, or the change is wrong. */
export type ProductChangeError = 'not_found' | 'not_allowed' | 'invalid';

/** A member's change: saved (and whether it now waits for the coordinators), or why not. */
export type ProductChangeOutcome =
  | { ok: true; product: ProductWithCard; review: boolean }
  | { ok: false; error: ProductChangeError };

export type Visibility = 'visible' | 'hidden';
export type { ModerationOutcome } from './product-moderation.js';

/**
 * Products: members of an approved cooperative post them (published at once, or after a coordinator
 * approves when moderation is on) and manage their cooperative's products; coordinators publish or
 * hide them. Every member action checks that the product belongs to her cooperative. Search fields
 * and the SQLite FTS5 row are written with the product, on the same client (so in its transaction).
 */
export function createProductService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const moderation = createProductModeration(db, deps);
  const { postForReview } = moderation;

  /** Her cooperative when she may post: an active membership (any role) of an approved cooperative. */
  async function postingCooperative(contactId: string): Promise<Cooperative | null> {
    const membership = await db.membership.findUnique({
      where: { contactId },
      include: { cooperative: true },
    });
    const allowed = membership?.status === 'ACTIVE' && membership.cooperative.status === 'APPROVED';
    return allowed ? membership.cooperative : null;
  }

  const find = (id: string) => db.product.findUnique({ where: { id }, include: CARD_INCLUDE });

  /** The product when it belongs to her cooperative, or why she may not touch it. */
  async function owned(contactId: string, productId: string) {
    const product = await find(productId);
    if (!product) return 'not_found' as const;
    const cooperative = await postingCooperative(contactId);
    return cooperative?.id === product.cooperativeId ? product : ('not_allowed' as const);
  }

  async function photosExist(ids: readonly string[]): Promise<boolean> {
    return ids.length === 0 || (await db.media.count({ where: { id: { in: [...ids] } } })) === ids.length;
  }

  /** Writes what a member did to one of her cooperative's products in the audit log. */
  const recordMember = (
    contactId: string,
    channel: string,
    entry: Omit<AuditEntry, 'actor' | 'targetType'>,
  ) => audit.record({ ...entry, actor: contactActor(contactId, channel), targetType: PRODUCT_TARGET });

  const photoRows = (ids: readonly string[]) => ids.map((mediaId, position) => ({ mediaId, position }));

  /** Whether an edit changes what coordinators review: the same words and photos again do not. */
  async function changesReviewed(
    before: ProductWithCard,
    after: { name: string; description: string | null; photoMediaIds?: string[] },
  ): Promise<boolean> {
    const photos = await productPhotoIds(db, before.id);
    const revision = reviewRevision({ ...after, photoMediaIds: after.photoMediaIds ?? photos });
    return revision !== reviewRevision({ ...before, photoMediaIds: photos });
  }

  return {
    postingCooperative,
    publish: moderation.publish,
    hide: moderation.hide,

    /**
     * Posts her product: PUBLISHED, or PENDING and posted to the coordinators (card, photo, publish /
     * hide) when moderation is on. Photos become ProductMedia rows in the order she sent them.
     */
    async create(
      contactId: string,
      draft: ProductDraft,
      now = deps.clock(),
      channel = 'bot',
    ): Promise<CreateProductOutcome> {
      const cooperative = await postingCooperative(contactId);
      if (!cooperative) return { ok: false, error: 'not_member' };
      const parsed = productDraftSchema.safeParse(draft);
      if (!parsed.success || !(await photosExist(parsed.data.photoMediaIds))) {
        return { ok: false, error: 'invalid' };
      }
      const { photoMediaIds, ...fields } = parsed.data;
      const status: ProductStatus = deps.productModeration ? 'PENDING' : 'PUBLISHED';
      const product = await db.product.create({
        data: {
          ...fields,
          ...productSearchFields(fields.name, fields.description),
          cooperativeId: cooperative.id,
          createdById: contactId,
          status,
          approvedAt: status === 'PUBLISHED' ? now : null,
          createdAt: now,
          photos: { create: photoRows(photoMediaIds) },
        },
        include: CARD_INCLUDE,
      });
      await indexProduct(db, deps.dbProvider, product);
      await recordMember(contactId, channel, {
        action: PRODUCT_ACTIONS.create,
        targetId: product.id,
        data: { status },
        at: now,
      });
      if (status === 'PENDING') await postForReview(product, 'new');
      return { ok: true, product };
    },

    /**
     * Changes fields of one of her cooperative's products. With moderation on, a new name, description
     * or photos (see `ReviewedContent`) undo the coordinators' approval and send a visible (or waiting)
     * product back to them as PENDING; a hidden one stays hidden and is reviewed when shown again.
     * Other fields (price, availability…), or the same words and photos again, change nothing for them.
     */
    async update(
      contactId: string,
      productId: string,
      patch: Partial<ProductDraft>,
      now = deps.clock(),
      channel = 'bot',
    ): Promise<ProductChangeOutcome> {
      const parsed = productDraftSchema.partial().safeParse(patch);
      if (!parsed.success) return { ok: false, error: 'invalid' };
      const before = await owned(contactId, productId);
      if (typeof before === 'string') return { ok: false, error: before };
      const { photoMediaIds, ...changes } = parsed.data;
      if (photoMediaIds && !(await photosExist(photoMediaIds))) return { ok: false, error: 'invalid' };
      const changed = Object.keys(parsed.data) as ProductDraftField[];
      const name = changes.name ?? before.name;
      const description = changes.description === undefined ? before.description : changes.description;
      const review =
        deps.productModeration && (await changesReviewed(before, { name, description, photoMediaIds }));
      const toReview = review && before.status !== 'HIDDEN';
      if (photoMediaIds) {
        await db.productMedia.deleteMany({ where: { productId } });
        await db.productMedia.createMany({
          data: photoRows(photoMediaIds).map((row) => ({ ...row, productId })),
        });
      }
      const product = await db.product.update({
        where: { id: productId },
        data: {
          ...changes,
          ...productSearchFields(name, description),
          ...(review ? { approvedAt: null } : {}),
          ...(toReview ? { status: 'PENDING' as const } : {}),
        },
        include: CARD_INCLUDE,
      });
      await indexProduct(db, deps.dbProvider, product);
      await recordMember(contactId, channel, {
        action: PRODUCT_ACTIONS.update,
        targetId: productId,
        data: { fields: changed, review },
        at: now,
      });
      if (toReview) await postForReview(product, 'edited');
      return { ok: true, product, review: toReview };
    },

    /**
     * Hides a product from buyers, or shows it again (see `statusWhenShown`): PUBLISHED, approved by
     * the bot when moderation is off and nobody approved it yet, or PENDING and posted to the
     * coordinators. Asking for what already is changes nothing.
     */
    async setVisibility(
      contactId: string,
      productId: string,
      visibility: Visibility,
      now = deps.clock(),
      channel = 'bot',
    ): Promise<ProductChangeOutcome> {
      const before = await owned(contactId, productId);
      if (typeof before === 'string') return { ok: false, error: before };
      if ((before.status === 'HIDDEN') === (visibility === 'hidden')) {
        return { ok: true, product: before, review: false };
      }
      const status = visibility === 'hidden' ? 'HIDDEN' : statusWhenShown(before, deps.productModeration);
      const product = await db.product.update({
        where: { id: productId },
        data: { status, ...(status === 'PUBLISHED' && !before.approvedAt ? { approvedAt: now } : {}) },
        include: CARD_INCLUDE,
      });
      await recordMember(contactId, channel, {
        action: PRODUCT_ACTIONS.visibility,
        targetId: productId,
        data: { visible: visibility === 'visible', status },
        at: now,
      });
      if (status === 'PENDING') await postForReview(product, 'shown');
      return { ok: true, product, review: status === 'PENDING' };
    },

    /** Deletes one of her cooperative's products with its photos' links and its search row. */
    async remove(
      contactId: string,
      productId: string,
      now = deps.clock(),
      channel = 'bot',
    ): Promise<{ ok: true; product: ProductWithCard } | { ok: false; error: ProductChangeError }> {
      const product = await owned(contactId, productId);
      if (typeof product === 'string') return { ok: false, error: product };
      await db.product.delete({ where: { id: productId } });
      await unindexProduct(db, deps.dbProvider, productId);
      await recordMember(contactId, channel, {
        action: PRODUCT_ACTIONS.remove,
        targetId: productId,
        data: { name: product.name },
        at: now,
      });
      return { ok: true, product };
    },

    /** How many products her cooperative has (every status); none when she may not post. */
    async countForMember(contactId: string): Promise<number> {
      const cooperative = await postingCooperative(contactId);
      return cooperative ? db.product.count({ where: { cooperativeId: cooperative.id } }) : 0;
    },

    /** A window of her cooperative's products (every status), newest first; none when she may not post. */
    async listForMember(contactId: string, window: PageWindow = {}): Promise<ProductWithCard[]> {
      const cooperative = await postingCooperative(contactId);
      if (!cooperative) return [];
      return db.product.findMany({
        where: { cooperativeId: cooperative.id },
        include: CARD_INCLUDE,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: window.skip,
        take: window.take,
      });
    },

    /** One of her cooperative's products, or null (gone, or not hers to see in "my products"). */
    async getForMember(contactId: string, productId: string): Promise<ProductWithCard | null> {
      const product = await owned(contactId, productId);
      return typeof product === 'string' ? null : product;
    },

    /** One product with what its card needs, or null. */
    get: find,
  };
}

export type ProductService = ReturnType<typeof createProductService>;
