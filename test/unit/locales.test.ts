import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/i18n.js';

/**
 * Parity of the locale files. i18next silently falls back to Arabic for a key missing in English
 * (and the reverse hides gaps too), so this test is what reports a missing key, a missing plural
 * form, a variable spelled differently or an empty string.
 */

const LOCALES_DIR = new URL('../../locales/', import.meta.url);
const PLURAL_SUFFIX = /_(?:ordinal_)?(zero|one|two|few|many|other)$/;
const REQUIRED_PLURALS: Record<Locale, readonly string[]> = {
  ar: ['zero', 'one', 'two', 'few', 'many', 'other'],
  en: ['one', 'other'],
};

/** Every leaf of every namespace file, as "namespace:dotted.key" → value. */
function flattenLocale(locale: Locale): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const walk = (prefix: string, node: unknown): void => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [key, child] of Object.entries(node))
        walk(prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`, child);
    } else {
      leaves.set(prefix, node);
    }
  };
  const dir = new URL(`${locale}/`, LOCALES_DIR);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    walk(`${file.slice(0, -'.json'.length)}:`, JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  }
  return leaves;
}

interface BaseKey {
  pluralForms: Set<string>;
  variables: Set<string>;
}

/** Groups leaves by base key (plural suffix removed), collecting plural forms and `{{variables}}`. */
function baseKeys(leaves: Map<string, unknown>): Map<string, BaseKey> {
  const keys = new Map<string, BaseKey>();
  for (const [key, value] of leaves) {
    const plural = PLURAL_SUFFIX.exec(key);
    const base = plural ? key.slice(0, plural.index) : key;
    const entry = keys.get(base) ?? { pluralForms: new Set(), variables: new Set() };
    if (plural?.[1]) entry.pluralForms.add(plural[1]);
    for (const match of String(value).matchAll(/\{\{-?\s*([^,}\s]+)[^}]*\}\}/g)) {
      if (match[1]) entry.variables.add(match[1]);
    }
    keys.set(base, entry);
  }
  return keys;
}

const leaves = { ar: flattenLocale('ar'), en: flattenLocale('en') };
const keys = { ar: baseKeys(leaves.ar), en: baseKeys(leaves.en) };

describe('locale files', () => {
  it.each(LOCALES)('%s has only non-empty strings', (locale) => {
    const bad = [...leaves[locale]].filter(([, value]) => typeof value !== 'string' || value.trim() === '');
    expect(bad.map(([key]) => key)).toEqual([]);
  });

  it('ar and en have the same base keys', () => {
    const missingInEn = [...keys.ar.keys()].filter((key) => !keys.en.has(key));
    const missingInAr = [...keys.en.keys()].filter((key) => !keys.ar.has(key));
    expect({ missingInAr, missingInEn }).toEqual({ missingInAr: [], missingInEn: [] });
  });

  it.each(LOCALES)('%s has every plural form it needs for each pluralised key', (locale) => {
    const pluralised = [...keys.ar.keys(), ...keys.en.keys()].filter(
      (key) => (keys.ar.get(key)?.pluralForms.size ?? 0) > 0 || (keys.en.get(key)?.pluralForms.size ?? 0) > 0,
    );
    const gaps = [...new Set(pluralised)].flatMap((key) =>
      REQUIRED_PLURALS[locale]
        .filter((form) => !keys[locale].get(key)?.pluralForms.has(form))
        .map((form) => `${key}_${form}`),
    );
    expect(gaps).toEqual([]);
  });

  it('ar and en use the same {{variables}} for each key', () => {
    const differences = [...keys.ar]
      .map(([key, ar]) => ({
        key,
        ar: [...ar.variables].sort(),
        en: [...(keys.en.get(key)?.variables ?? [])].sort(),
      }))
      .filter(({ ar, en }) => ar.join() !== en.join());
    expect(differences).toEqual([]);
  });
});

describe('createI18n', () => {
  const i18n = createI18n({ defaultLocale: 'ar' });

  it.each([
    [0, 'لا عضوات'],
    [1, 'عضوة واحدة'],
    [2, 'عضوتان'],
    [3, '3 عضوات'],
    [11, '11 عضوة'],
    [100, '100 عضوة'],
  ])('picks the Arabic plural form for %d', (count, expected) => {
    expect(i18n.t('ar', 'members', { count })).toBe(expected);
  });

  it.each([
    [1, '1 member'],
    [2, '2 members'],
  ])('picks the English plural form for %d', (count, expected) => {
    expect(i18n.t('en', 'members', { count })).toBe(expected);
  });

  it('isolates interpolated strings and leaves them unescaped', () => {
    expect(i18n.t('ar', 'greeting.named', { name: 'Huda <3' })).toBe('مرحباً \u2068Huda <3\u2069');
    expect(i18n.t('en', 'common:greeting.named', { name: 'هدى' })).toBe('Hello \u2068هدى\u2069');
  });

  it('does not isolate numbers', () => {
    expect(i18n.t('en', 'greeting.named', { name: 7 })).toBe('Hello 7');
  });

  it('binds a translator to one locale', () => {
    expect(i18n.translator('en')('members', { count: 3 })).toBe('3 members');
  });

  it.each([
    ['en-US', 'en'],
    ['EN', 'en'],
    ['ar', 'ar'],
    ['fr', 'ar'],
    [undefined, 'ar'],
  ] as const)('resolves language code %j to %s', (code, locale) => {
    expect(i18n.resolveLocale(code)).toBe(locale);
  });
});
