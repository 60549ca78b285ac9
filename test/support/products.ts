import type { Db, DbProvider } from '../../src/db/client.js';
import type { Currency } from '../../src/i18n/format.js';
import { indexProduct } from '../../src/search/product-index.js';
import { productSearchFields } from '../../src/search/search-text.js';

/** What a seeded product may be given; anything left out takes a plain olive-oil default. */
export interface SeedProductFields {
  name: string;
  description: string | null;
  category: string;
  priceMinor: number;
  currency: Currency;
  unit: string;
  availability: string;
  paymentMethods: string[];
  status: 'PENDING' | 'PUBLISHED' | 'HIDDEN';
  /** Who posted it (a contact id); none by default. */
  createdById: string;
}

/**
 * A product written straight to the database (PUBLISHED unless told otherwise), with the search
 * fields the product service writes and its row in the SQLite FTS5 index, so search finds it.
 */
export async function seedProduct(
  prisma: Db,
  cooperativeId: string,
  fields: Partial<SeedProductFields> = {},
  provider: DbProvider = 'sqlite',
) {
  const name = fields.name ?? 'زيت زيتون بلدي';
  const description = fields.description === undefined ? 'عصرة أولى من بيت حانون' : fields.description;
  const product = await prisma.product.create({
    data: {
      cooperativeId,
      category: 'food',
      priceMinor: 2500,
      currency: 'ILS',
      unit: 'litre',
      availability: 'available',
      paymentMethods: ['cash'],
      status: 'PUBLISHED',
      ...fields,
      name,
      description,
      ...productSearchFields(name, description),
    },
  });
  await indexProduct(prisma, provider, product);
  return product;
}

/** A stored photo (a Media row; no file behind it) and the inbound content that sends it. */
export async function seedPhoto(prisma: Db, tag: string) {
  const media = await prisma.media.create({
    data: { sha256: `test-${tag}`, mime: 'image/jpeg', size: 1024, path: `te/test-${tag}.jpg` },
  });
  return {
    media,
    content: { kind: 'photo' as const, media: { kind: 'stored' as const, mediaId: media.id } },
  };
}
