import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeArabic, normalizeName, toLatinDigits } from '../../src/i18n/normalize.js';

const vectors = JSON.parse(readFileSync(new URL('../data/test-vectors.json', import.meta.url), 'utf8')) as {
  normalizeForSearch: [string, string][];
};

describe('normalizeArabic', () => {
  it.each(vectors.normalizeForSearch)('%j → %j', (input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  it.each([
    ['ٱلْقُرْآن', 'القران'], // alef wasla, harakat, madda
    ['مسؤول', 'مسوول'],
    ['٪٥٠', '%50'],
    ['١٬٥٠٠٫٢٥', '1500.25'],
    ['نعم، لا؛ ماذا؟', 'نعم, لا; ماذا?'],
    ['\uFEFFمر\u200Bحبا\u061C', 'مرحبا'],
    ['\u2066+970 59\u2069', '+970 59'],
    ['ｍｅｎｕ', 'menu'], // NFKC folds full-width Latin
    ['a\n\tb', 'a b'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });
});

describe('normalizeName', () => {
  it('keeps ة so different names stay different', () => {
    expect(normalizeName('جمعيّة  النور')).toBe('جمعية النور');
    expect(normalizeName('حمزة')).not.toBe(normalizeName('حمزه'));
  });

  it('folds everything else like normalizeArabic', () => {
    expect(normalizeName('إبرة وآنية')).toBe('ابرة وانية');
    expect(normalizeName(' Zeit ZAYTOON ١٢ ')).toBe('zeit zaytoon 12');
  });
});

describe('toLatinDigits', () => {
  it('folds only digits and Arabic punctuation', () => {
    expect(toLatinDigits('أَحْمَد ١٢٣ ۴۵۶ ٢٥٫٥ ١٬٠٠٠ ٪ ، ؛ ؟')).toBe('أَحْمَد 123 456 25.5 1000 % , ; ?');
  });

  it('leaves Latin text and spacing alone', () => {
    expect(toLatinDigits('  Zeit  ')).toBe('  Zeit  ');
  });
});
