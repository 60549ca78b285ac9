// Product search latency and index size at 10,000 and 100,000 products: `npm run bench:search`.
// Always on a fresh SQLite file; also on PostgreSQL, in a schema of its own that is dropped after,
// when DATABASE_URL names one. Target: p95 under 50 ms at 100,000 products on SQLite.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { GOVERNORATES } from '../src/data/governorates.js';
import { createDatabase, type Database } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { type ProductSearchOptions, searchProducts } from '../src/search/product-search.js';
import { productSearchFields } from '../src/search/search-text.js';

const SIZES = [10_000, 100_000];
const QUERIES = 300;
const FILTERED_QUERIES = 100;
const COOPERATIVES = 300;
const CHUNK = 1_000;

/** A seeded generator, so every run measures the same catalogue and the same queries. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

/** What cooperatives make: a name, its category and unit, and what its description may say. */
const GOODS = [
  { name: 'زيت زيتون', category: 'food', unit: 'litre', says: 'عصرة أولى من كروم العائلة' },
  { name: 'زعتر', category: 'food', unit: 'kg', says: 'مع سمسم محمّص وسمّاق' },
  { name: 'مفتول', category: 'food', unit: 'kg', says: 'من القمح البلدي، مفتول باليد' },
  { name: 'فريكة', category: 'food', unit: 'kg', says: 'قمح أخضر محمّص على النار' },
  { name: 'مكدوس باذنجان', category: 'food', unit: 'jar', says: 'محشو بالجوز والفلفل بزيت الزيتون' },
  { name: 'مربى التين', category: 'food', unit: 'jar', says: 'تين بلدي وسكر قليل' },
  { name: 'مربى المشمش', category: 'food', unit: 'jar', says: 'من مشمش الموسم' },
  { name: 'دبس العنب', category: 'food', unit: 'jar', says: 'عنب الخليل مطبوخ على الحطب' },
  { name: 'دبس الخروب', category: 'food', unit: 'jar', says: 'خروب مطحون ومغلي ببطء' },
  { name: 'عسل', category: 'food', unit: 'jar', says: 'عسل زهر الحمضيات' },
  { name: 'خبز طابون', category: 'food', unit: 'dozen', says: 'يُخبز كل صباح' },
  { name: 'معمول بالتمر', category: 'food', unit: 'box', says: 'كعك العيد بالسميد والتمر' },
  { name: 'كعك بالسمسم', category: 'food', unit: 'box', says: 'مقرمش ومحمّص' },
  { name: 'ثوب مطرّز', category: 'embroidery', unit: 'piece', says: 'تطريز فلاحي بغرزة الصليب' },
  { name: 'شال مطرّز', category: 'embroidery', unit: 'piece', says: 'خيوط حرير على قماش أسود' },
  { name: 'وسادة مطرّزة', category: 'embroidery', unit: 'piece', says: 'نقشة السرو وعروق الورد' },
  { name: 'محفظة مطرّزة', category: 'embroidery', unit: 'piece', says: 'تطريز يدوي دقيق' },
  { name: 'فستان مطرّز', category: 'clothing', unit: 'piece', says: 'مقاسات للأطفال والكبار' },
  { name: 'عباءة', category: 'clothing', unit: 'piece', says: 'قماش خفيف للصيف' },
  { name: 'جبنة نابلسية', category: 'dairy', unit: 'kg', says: 'من حليب الغنم، مغلية بالمحلب' },
  { name: 'جبنة بيضاء', category: 'dairy', unit: 'kg', says: 'طازجة كل يوم' },
  { name: 'لبنة', category: 'dairy', unit: 'jar', says: 'مكعبات بزيت الزيتون' },
  { name: 'جميد', category: 'dairy', unit: 'kg', says: 'لبن مجفف للمنسف' },
  { name: 'تمر مجهول', category: 'agriculture', unit: 'kg', says: 'من نخيل أريحا' },
  { name: 'ميرمية', category: 'agriculture', unit: 'gram', says: 'أوراق مجففة في الظل' },
  { name: 'بندورة', category: 'agriculture', unit: 'kg', says: 'من الدفيئة مباشرة' },
  { name: 'صابون زيت الزيتون', category: 'cosmetics', unit: 'piece', says: 'صابون نابلسي تقليدي' },
  { name: 'كريم بزيت الزيتون', category: 'cosmetics', unit: 'jar', says: 'بالعسل وشمع النحل' },
  { name: 'إبريق فخّار', category: 'crafts', unit: 'piece', says: 'فخار الخليل مشغول باليد' },
  { name: 'جرّة فخّار', category: 'crafts', unit: 'piece', says: 'تحفظ الماء باردًا' },
  { name: 'سلّة قش', category: 'crafts', unit: 'piece', says: 'قش القمح ملوّن' },
] as const;

const QUALITIES = [
  'بلدي',
  'مطرّز يدويًا',
  'عضوي',
  'طازج',
  'فاخر',
  'تقليدي',
  'بيتي',
  'درجة أولى',
  'صغير',
  'كبير',
];
const PLACES = [
  'من بيت حانون',
  'من جباليا',
  'من دير البلح',
  'من خان يونس',
  'من رفح',
  'من نابلس',
  'من الخليل',
  'من جنين',
  'من طولكرم',
  'من قلقيلية',
  'من سلفيت',
  'من أريحا',
  'من بيت لحم',
  'من رام الله',
];
const EXTRAS = [
  'إنتاج نساء الجمعية.',
  'يصلح هدية.',
  'متوفر بكميات للمحلات.',
  'يُحضَّر حسب الطلب.',
  'بدون مواد حافظة.',
  'بجودة عالية وسعر مناسب.',
  'التوصيل داخل المحافظة.',
  'الدفع نقدًا أو بالمحفظة الإلكترونية.',
];

/** What buyers type: words of the catalogue with harakat, the article, ة/ه, ى/ي, typos and places. */
const TYPED = [
  'زيت',
  'زَيْت',
  'الزيت',
  'زيت الزيتون',
  'زيت زيتون بلدي',
  'زعتر',
  'الزعتر البلدي',
  'مفتول',
  'المفتول',
  'فريكه',
  'مكدوس',
  'مربى',
  'مربي تين',
  'دبس',
  'دبس عنب',
  'عسل',
  'خبز',
  'معمول',
  'كعك',
  'ثوب',
  'ثوب مطرز',
  'مطرزة',
  'مُطَرَّز',
  'تطريز فلاحي',
  'شال',
  'فستان',
  'عباية',
  'جبنه',
  'جبنة نابلسية',
  'لبنه',
  'جميد',
  'تمر',
  'ميرميه',
  'بندوره',
  'صابون',
  'صابون نابلسي',
  'كريم',
  'ابريق',
  'إبريق فخار',
  'فخار',
  'جره',
  'سلة',
  'بيت حانون',
  'من نابلس',
  'هدية',
  'عضوي',
  'طازج',
  'يدوي',
  'زيتوون',
  'صابوون',
  'شوكولاتة',
  'قهوة',
];

/** `count` products spread over the cooperatives, in the shape `createMany` takes. */
function products(count: number, cooperativeIds: readonly string[], seed: number) {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const goods = rnd.pick(GOODS);
    const name = [
      goods.name,
      ...(rnd.chance(0.6) ? [rnd.pick(QUALITIES)] : []),
      ...(rnd.chance(0.4) ? [rnd.pick(PLACES)] : []),
    ].join(' ');
    const description = `${goods.says}، ${rnd.pick(QUALITIES)} ${rnd.pick(PLACES)}. ${rnd.pick(EXTRAS)}`;
    return {
      cooperativeId: rnd.pick(cooperativeIds),
      name,
      description,
      category: goods.category,
      priceMinor: Math.round(rnd.next() * 300 + 5) * 100,
      currency: 'ILS' as const,
      unit: goods.unit,
      availability: rnd.chance(0.9) ? 'available' : 'on_order',
      paymentMethods: ['cash'],
      status: rnd.chance(0.9) ? ('PUBLISHED' as const) : ('PENDING' as const),
      ...productSearchFields(name, description),
    };
  });
}

async function seedCooperatives(db: Database): Promise<string[]> {
  const rnd = random(7);
  await db.prisma.cooperative.createMany({
    data: Array.from({ length: COOPERATIVES }, (_, i) => ({
      name: `جمعية رقم ${i + 1}`,
      normalizedName: `جمعية رقم ${i + 1}`,
      legalForm: 'COOPERATIVE' as const,
      governorate: rnd.pick(GOVERNORATES).slug,
      locality: 'البلدة',
      sectors: ['food-processing'],
      membersCount: 20,
      status: rnd.chance(0.95) ? ('APPROVED' as const) : ('PENDING' as const),
    })),
  });
  return (await db.prisma.cooperative.findMany({ select: { id: true } })).map((c) => c.id);
}

/** Adds `count` products in chunks, one transaction each, and indexes them for FTS5 on SQLite. */
async function addProducts(db: Database, cooperativeIds: readonly string[], count: number, seed: number) {
  const rows = products(count, cooperativeIds, seed);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.prisma.product.createMany({ data: rows.slice(i, i + CHUNK) });
  }
  if (db.provider === 'sqlite') {
    await db.prisma.$transaction([
      db.prisma.$executeRaw`DELETE FROM "ProductSearch"`,
      db.prisma.$executeRaw`INSERT INTO "ProductSearch" ("productId", "name", "body")
        SELECT "id", "searchName", "searchText" FROM "Product"`,
    ]);
    await db.prisma.$executeRaw`INSERT INTO "ProductSearch" ("ProductSearch") VALUES ('optimize')`;
  } else {
    // What autovacuum would do in production before long: the planner needs the new statistics.
    await db.prisma.$executeRaw`ANALYZE "Product"`;
    await db.prisma.$executeRaw`ANALYZE "Cooperative"`;
  }
}

/** A timed mix of queries: what buyers type in the catalogue, or the same narrowed by a filter. */
interface Workload {
  name: string;
  queries: { query: string; options: ProductSearchOptions }[];
}

/**
 * The catalogue's search sends the words alone; the admin API may add a category or a governorate,
 * which the index cannot serve (each match is joined to check it), so it is measured apart.
 */
function workloads(): Workload[] {
  const rnd = random(42);
  const window = { skip: 0, take: 5 };
  const buyers = Array.from({ length: QUERIES }, () => ({ query: rnd.pick(TYPED), options: { window } }));
  const filtered = Array.from({ length: FILTERED_QUERIES }, () => ({
    query: rnd.pick(TYPED),
    options: rnd.chance(0.7)
      ? { category: rnd.pick(GOODS).category, window }
      : { governorate: rnd.pick(GOVERNORATES).slug, window },
  }));
  return [
    { name: 'buyers', queries: buyers },
    { name: 'filtered', queries: filtered },
  ];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function indexBytes(db: Database): Promise<number> {
  if (db.provider === 'sqlite') {
    try {
      const [row] = await db.prisma.$queryRaw<{ bytes: bigint | number | null }[]>`
        SELECT SUM("pgsize") AS bytes FROM "dbstat" WHERE "name" LIKE 'ProductSearch%'`;
      return Number(row?.bytes ?? 0);
    } catch {
      // Without dbstat, the whole file: an upper bound.
      const [row] = await db.prisma.$queryRaw<{ bytes: bigint | number }[]>`
        SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()`;
      return Number(row?.bytes ?? 0);
    }
  }
  const [row] = await db.prisma.$queryRaw<{ bytes: bigint | number | null }[]>`
    SELECT SUM(pg_relation_size(c.oid)) AS bytes FROM pg_class c
    WHERE c.relname IN ('Product_searchName_trgm_idx', 'Product_searchText_trgm_idx')
      AND c.relnamespace = current_schema()::regnamespace`;
  return Number(row?.bytes ?? 0);
}

interface Figures {
  provider: string;
  products: number;
  workload: string;
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  found: number;
  indexMb: number;
  seedSeconds: number;
}

async function measure(db: Database, products: number, seedSeconds: number): Promise<Figures[]> {
  const indexMb = (await indexBytes(db)) / 1024 / 1024;
  const figures: Figures[] = [];
  for (const { name, queries } of workloads()) {
    for (const { query, options } of queries.slice(0, 20)) {
      await searchProducts(db.prisma, db.provider, query, options);
    }
    const latencies: number[] = [];
    let found = 0;
    for (const { query, options } of queries) {
      const started = performance.now();
      const { total } = await searchProducts(db.prisma, db.provider, query, options);
      latencies.push(performance.now() - started);
      if (total > 0) found += 1;
    }
    latencies.sort((a, b) => a - b);
    figures.push({
      provider: db.provider,
      products,
      workload: name,
      queries: queries.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      found,
      indexMb,
      seedSeconds,
    });
  }
  return figures;
}

/** Grows one database to each size in turn and measures it there. */
async function run(db: Database): Promise<Figures[]> {
  const cooperativeIds = await seedCooperatives(db);
  const figures: Figures[] = [];
  let have = 0;
  for (const size of SIZES) {
    const started = performance.now();
    await addProducts(db, cooperativeIds, size - have, size);
    have = size;
    figures.push(...(await measure(db, size, (performance.now() - started) / 1000)));
  }
  return figures;
}

async function onSqlite(logger: pino.Logger): Promise<Figures[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-search-bench-'));
  const databaseUrl = `file:${path.join(dataDir, 'bench.db')}`;
  try {
    await applyMigrations({ databaseUrl, dataDir }, logger);
    const db = createDatabase({ databaseUrl, dataDir }, logger);
    try {
      return await run(db);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(url: string, logger: pino.Logger): Promise<Figures[]> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const base = new URL(url);
  base.searchParams.set('schema', schema);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-search-bench-'));
  const admin = new URL(url);
  admin.searchParams.delete('schema');
  try {
    await applyMigrations({ databaseUrl: base.toString(), dataDir }, logger);
    const db = createDatabase({ databaseUrl: base.toString(), dataDir }, logger);
    try {
      return await run(db);
    } finally {
      await db.close();
    }
  } finally {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(figures: Figures[]) {
  const header = [
    'database',
    'products',
    'queries',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'found',
    'index MB',
    'seed s',
  ];
  const rows = figures.map((f) => [
    f.provider,
    f.products.toLocaleString('en'),
    f.workload,
    f.p50.toFixed(1),
    f.p95.toFixed(1),
    f.p99.toFixed(1),
    `${f.found}/${f.queries}`,
    f.indexMb.toFixed(1),
    f.seedSeconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(
    `search benchmark: a page of 5 per query; ${COOPERATIVES} cooperatives; ` +
      `"buyers" = ${QUERIES} typed queries, "filtered" = ${FILTERED_QUERIES} with a category or governorate`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const target = figures.find(
    (f) => f.provider === 'sqlite' && f.products === 100_000 && f.workload === 'buyers',
  );
  if (target) console.log(`target p95 < 50 ms at 100,000 on SQLite: ${target.p95 < 50 ? 'met' : 'NOT met'}`);
}

async function main() {
  const logger = pino({ level: 'silent' });
  const figures = await onSqlite(logger);
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) figures.push(...(await onPostgres(url, logger)));
  print(figures);
}

await main();
