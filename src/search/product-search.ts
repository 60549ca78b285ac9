import type { DbProvider } from '../db/url.js';
import type { CooperativeStatus, ProductStatus } from '../generated/sqlite/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { DbClient, PageWindow } from '../services/db.js';
import { searchWords } from './search-text.js';

/** How many products a search ranks and returns at most: a buyer narrows rather than pages further. */
export const SEARCH_MAX = 100;

/** What narrows a search besides its words; by default only what buyers may see. */
export interface ProductSearchOptions {
  category?: string;
  /** Governorate slug of the cooperative. */
  governorate?: string;
  cooperativeId?: string;
  /** Product statuses searched (PUBLISHED unless told otherwise). */
  statuses?: readonly ProductStatus[];
  /** Cooperative statuses searched (APPROVED unless told otherwise). */
  cooperativeStatuses?: readonly CooperativeStatus[];
  /** Results ranked at most (SEARCH_MAX unless told otherwise). */
  max?: number;
  window: PageWindow;
}

/** One page of product ids, best match first, and how many results there are to page through. */
export interface ProductSearchResult {
  ids: string[];
  /** Results in all, at most `max`. */
  total: number;
  /** More products match than `max`: the newest of them were ranked. */
  more: boolean;
}

/** Whether every word must match, or any (ranked by how many do). */
type Mode = 'all' | 'any';

/** A product the database found, with what ranking reads. `score` is the provider's: lower is better. */
interface Candidate {
  id: string;
  searchName: string;
  searchText: string;
  createdAt: Date;
  score: number;
}

/** The buyers' view: published products of approved cooperatives. */
const VISIBLE_STATUSES: readonly ProductStatus[] = ['PUBLISHED'];
const VISIBLE_COOPERATIVES: readonly CooperativeStatus[] = ['APPROVED'];

/** Prepositions and conjunctions that say nothing about a product ("صابون من نابلس"), normalised. */
const STOP_WORDS = new Set(['من', 'في', 'مع', 'عن', 'الي', 'او']);

/**
 * The words a query searches for. A lone letter (a stray و or ب typed apart) or a stop word would
 * prefix-match nearly everything, so they are dropped when the query has other words.
 */
function queryWords(query: string): string[] {
  const words = [...new Set(searchWords(query))];
  const meaningful = words.filter((word) => !/^\p{L}$/u.test(word) && !STOP_WORDS.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

/** Filters shared by both providers, on `p` (Product) and `c` (Cooperative). */
function filters(options: ProductSearchOptions): Prisma.Sql {
  const statuses = options.statuses ?? VISIBLE_STATUSES;
  const cooperativeStatuses = options.cooperativeStatuses ?? VISIBLE_COOPERATIVES;
  // No cast on the columns: PostgreSQL types the parameters as its enums, and keeps its statistics
  // (a cast column reads as "one row matches" and the planner walks every product).
  const parts = [
    Prisma.sql`p."status" IN (${Prisma.join(statuses)})`,
    Prisma.sql`c."status" IN (${Prisma.join(cooperativeStatuses)})`,
  ];
  if (options.category) parts.push(Prisma.sql`p."category" = ${options.category}`);
  if (options.governorate) parts.push(Prisma.sql`c."governorate" = ${options.governorate}`);
  if (options.cooperativeId) parts.push(Prisma.sql`p."cooperativeId" = ${options.cooperativeId}`);
  return Prisma.join(parts, ' AND ');
}

const CANDIDATE_COLUMNS = Prisma.sql`p."id" AS id, p."searchName" AS "searchName",
  p."searchText" AS "searchText", p."createdAt" AS "createdAt"`;

/** Which words a tier asks for: all of them or any, in the name only or anywhere. */
interface Tier {
  mode: Mode;
  nameOnly: boolean;
}

/** An FTS5 phrase for a word, matched as a prefix: `"زيت"*`. Quotes are doubled, as FTS5 escapes them. */
const ftsPrefix = (word: string) => `"${word.replaceAll('"', '""')}"*`;

/**
 * SQLite: FTS5 over the normalised name and text ("ProductSearch"), newest first so a broad word
 * stops after `max` rows instead of reading every match. The MATCH expression is built from the
 * normalised words and bound as one parameter, never spliced into the SQL. bm25 weighs the name ten
 * times the text (the unindexed productId nothing); in a name-only tier it reads the name alone.
 */
function sqliteTier(words: readonly string[], tier: Tier, options: ProductSearchOptions, max: number) {
  const any = words.map(ftsPrefix).join(tier.mode === 'all' ? ' AND ' : ' OR ');
  const match = tier.nameOnly ? `"name" : (${any})` : any;
  return Prisma.sql`SELECT ${CANDIDATE_COLUMNS}, bm25("ProductSearch", 0, 10, 1) AS score
    FROM "ProductSearch"
    JOIN "Product" p ON p."id" = "ProductSearch"."productId"
    JOIN "Cooperative" c ON c."id" = p."cooperativeId"
    WHERE "ProductSearch" MATCH ${match} AND ${filters(options)}
    ORDER BY "ProductSearch"."rowid" DESC LIMIT ${max}`;
}

/**
 * PostgreSQL: LIKE on the normalised columns, served by their pg_trgm GIN indexes; `strpos` keeps
 * SQLite's meaning (a word starting with the query word) on the rows the index found. (A second LIKE
 * would do the same, but the planner then expects a single row and loops over every cooperative for
 * each match.) The words hold only letters and digits (`searchWords`), so they carry no LIKE
 * wildcard. The score is trigram closeness to the name, then to the whole text (pg_trgm lives in
 * schema public).
 */
function postgresTier(words: readonly string[], tier: Tier, options: ProductSearchOptions, max: number) {
  const column = Prisma.raw(tier.nameOnly ? 'p."searchName"' : 'p."searchText"');
  const each = words.map(
    (word) =>
      Prisma.sql`(${column} LIKE ('%' || ${word} || '%') AND strpos(' ' || ${column}, ' ' || ${word}) > 0)`,
  );
  const text = words.join(' ');
  // Scored outside the LIMIT: computed in the same SELECT, the similarities ran for every match.
  return Prisma.sql`SELECT m.*,
      -(4 * public.word_similarity(${text}, m."searchName") + 2 * public.similarity(${text}, m."searchName")
        + public.similarity(${text}, m."searchText")) AS score
    FROM (SELECT ${CANDIDATE_COLUMNS}
      FROM "Product" p
      JOIN "Cooperative" c ON c."id" = p."cooperativeId"
      WHERE (${Prisma.join(each, tier.mode === 'all' ? ' AND ' : ' OR ')}) AND ${filters(options)}
      ORDER BY p."createdAt" DESC, p."id" DESC LIMIT ${max}) m`;
}

/**
 * The products worth ranking: the newest `max` with the words anywhere and, when that tier was cut
 * at `max`, the newest `max` with them in the name, so a rare name match is not crowded out by
 * descriptions. (A tier that was not cut holds every match.) A product in both keeps its name-tier
 * score. `more` when the first tier was cut.
 */
async function candidates(
  db: DbClient,
  provider: DbProvider,
  words: readonly string[],
  mode: Mode,
  options: ProductSearchOptions & { max: number },
) {
  const tier = provider === 'sqlite' ? sqliteTier : postgresTier;
  const read = (nameOnly: boolean) =>
    db.$queryRaw<Candidate[]>(tier(words, { mode, nameOnly }, options, options.max));
  const anywhere = await read(false);
  const more = anywhere.length >= options.max;
  const found = new Map((more ? await read(true) : []).map((row) => [row.id, row]));
  for (const row of anywhere) if (!found.has(row.id)) found.set(row.id, row);
  return { found: [...found.values()], more };
}

/** How many of `words` start a word of `text` (a space-separated normalised text). */
const wordsStarting = (text: string, words: readonly string[]) =>
  words.filter((word) => ` ${text}`.includes(` ${word}`)).length;

/**
 * The order buyers expect: (when any word may match) the most words matched; then the most words in
 * the name; then names that begin with a query word, since an Arabic product name starts with what
 * the thing is ("زيت زيتون" is oil, "صابون زيت الزيتون" is soap); then the shortest name, the
 * closest to what was asked; then the provider's score (bm25, or trigram closeness); the newest.
 */
function rank(found: Candidate[], words: readonly string[], mode: Mode): Candidate[] {
  const keys = new Map(
    found.map((c) => [
      c.id,
      [
        mode === 'any' ? -wordsStarting(c.searchText, words) : 0,
        -wordsStarting(c.searchName, words),
        words.some((word) => c.searchName.startsWith(word)) ? 0 : 1,
        c.searchName.split(' ').length,
        Number(c.score),
        -new Date(c.createdAt).getTime(),
      ],
    ]),
  );
  const compare = (a: Candidate, b: Candidate) => {
    const [ka, kb] = [keys.get(a.id) ?? [], keys.get(b.id) ?? []];
    for (let i = 0; i < ka.length; i++) {
      const diff = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...found].sort(compare);
}

/**
 * Full-text product search, normalised per ARABIC.md on both sides (hamza, ة/ه, ى/ي, harakat,
 * tatweel, digits, the article), each word matching the start of a word. Every word must match;
 * when no product has them all, products with any of them come, those with the most words first
 * (a buyer who added a misspelt word still finds the rest). Name matches rank above description
 * matches. At most `max` results are ranked; a query without letters or digits finds nothing.
 */
export async function searchProducts(
  db: DbClient,
  provider: DbProvider,
  query: string,
  options: ProductSearchOptions,
): Promise<ProductSearchResult> {
  const words = queryWords(query);
  if (words.length === 0) return { ids: [], total: 0, more: false };
  const limited = { ...options, max: options.max ?? SEARCH_MAX };
  let mode: Mode = 'all';
  let result = await candidates(db, provider, words, mode, limited);
  if (result.found.length === 0 && words.length > 1) {
    mode = 'any';
    result = await candidates(db, provider, words, mode, limited);
  }
  const ranked = rank(result.found, words, mode).slice(0, limited.max);
  const { skip = 0, take = ranked.length } = options.window;
  return {
    ids: ranked.slice(skip, skip + take).map((c) => c.id),
    total: ranked.length,
    more: result.more,
  };
}
