import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { GOVERNORATES } from '../data/governorates.js';
import { normalizeArabic } from '../i18n/normalize.js';

/**
 * What a cooperative's registration may hold, in one place: the flows, the coordinators' chat and
 * the admin API read the same limits and lists.
 */

/** Legal forms: a cooperative (Decree-Law 20/2017) or a charity / women's centre (Law 1/2000). */
export const LEGAL_FORMS = ['COOPERATIVE', 'CHARITY'] as const;
export type LegalFormValue = (typeof LEGAL_FORMS)[number];

/** Sector slugs, in the order they are offered; labels live in `cooperatives:sectors.<slug>`. */
export const SECTORS = [
  'food-processing',
  'embroidery-textiles',
  'dairy',
  'agriculture',
  'crafts',
  'cosmetics-soap',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export const NAME_LENGTH = { min: 2, max: 100 } as const;
export const LOCALITY_LENGTH = { min: 2, max: 100 } as const;
export const DESCRIPTION_MAX = 1000;
export const MEMBERS_RANGE = { min: 2, max: 5000 } as const;
export const REJECTION_REASON_MAX = 500;

const governorateSlugs = GOVERNORATES.map((g) => g.slug) as [string, ...string[]];

/** A complete registration as the flow collects it and the service stores it. */
export const cooperativeDraftSchema = z.object({
  name: z.string().trim().min(NAME_LENGTH.min).max(NAME_LENGTH.max),
  legalForm: z.enum(LEGAL_FORMS),
  governorate: z.enum(governorateSlugs),
  locality: z.string().trim().min(LOCALITY_LENGTH.min).max(LOCALITY_LENGTH.max),
  sectors: z.array(z.enum(SECTORS)).min(1),
  membersCount: z.number().int().min(MEMBERS_RANGE.min).max(MEMBERS_RANGE.max),
  description: z.string().trim().max(DESCRIPTION_MAX).nullable(),
  contactPhone: z.string().regex(/^\+\d{6,15}$/),
});
export type CooperativeDraft = z.infer<typeof cooperativeDraftSchema>;

/** The fields a registration has, in the order the flow asks them. */
export const COOPERATIVE_FIELDS = [
  'name',
  'legalForm',
  'governorate',
  'locality',
  'sectors',
  'membersCount',
  'description',
  'contactPhone',
] as const satisfies readonly (keyof CooperativeDraft)[];
export type CooperativeField = (typeof COOPERATIVE_FIELDS)[number];

/** Changing these sends an approved cooperative back to the coordinators for review. */
export const REVIEWED_FIELDS: readonly CooperativeField[] = ['name', 'governorate'];

/** Join codes: no 0/O or 1/I, so a code read aloud or copied by hand cannot be mistaken. */
const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;
const JOIN_CODE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** A fresh random join code (32^6 ≈ 10^9 codes; the caller checks it is unused). */
export function generateJoinCode(): string {
  return Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_CODE_ALPHABET[randomInt(32)]).join('');
}

/**
 * Reads a join code as a member types it: any case, Arabic-Indic digits, spaces or dashes inside
 * ("abc-23٤"). Returns the code, or null when it cannot be one.
 */
export function readJoinCode(text: string): string | null {
  const code = normalizeArabic(text).replace(/[\s-]/g, '').toUpperCase();
  return JOIN_CODE.test(code) ? code : null;
}
