import { z } from 'zod';
import { normalizeArabic } from '../i18n/normalize.js';
import data from './governorates.json' with { type: 'json' };

const governorateSchema = z.object({
  slug: z.string().regex(/^[a-z-]+$/),
  iso3166_2: z.string().regex(/^PS-[A-Z]{3}$/),
  territory: z.enum(['gaza_strip', 'west_bank']),
  nameAr: z.string().min(1),
  officialNameAr: z.string().min(1),
  nameEn: z.string().min(1),
  aliasesAr: z.array(z.string()),
  aliasesEn: z.array(z.string()),
  order: z.number().int(),
  note: z.string().optional(),
});

/** One of the 16 governorates of Palestine; `slug` is the stable id to store. */
export type Governorate = Readonly<z.infer<typeof governorateSchema>>;

/** All governorates in display order: Gaza Strip north to south, then the West Bank north to south. */
export const GOVERNORATES: readonly Governorate[] = Object.freeze(
  z
    .array(governorateSchema)
    .parse(data.governorates)
    .sort((a, b) => a.order - b.order),
);

const GOVERNORATE_PREFIX = normalizeArabic('محافظة ');

/** The form names are compared in: normalised, hyphens as spaces, without a leading "محافظة". */
function matchKey(text: string): string {
  const key = normalizeArabic(text.replace(/[-_]/g, ' '));
  return key.startsWith(GOVERNORATE_PREFIX) ? key.slice(GOVERNORATE_PREFIX.length) : key;
}

function buildIndex(): ReadonlyMap<string, Governorate> {
  const index = new Map<string, Governorate>();
  for (const governorate of GOVERNORATES) {
    const { slug, nameAr, officialNameAr, nameEn, aliasesAr, aliasesEn } = governorate;
    for (const name of [slug, nameAr, officialNameAr, nameEn, ...aliasesAr, ...aliasesEn]) {
      const key = matchKey(name);
      const taken = index.get(key);
      if (taken && taken !== governorate) throw new Error(`"${name}" names both ${taken.slug} and ${slug}`);
      index.set(key, governorate);
    }
  }
  return index;
}

const INDEX = buildIndex();

/**
 * Finds the governorate a user means by its slug, Arabic or English name or a known alias, in any
 * spelling variant, with or without "محافظة" ("غزه", "محافظة خان يونس", "khan younis"); null if none.
 */
export function findGovernorate(text: string): Governorate | null {
  return INDEX.get(matchKey(text)) ?? null;
}
