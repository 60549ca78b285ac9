import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCount, parsePhone, parsePrice } from '../../src/i18n/parse.js';

type Expected<T> = T | { error: string };
const vectors = JSON.parse(readFileSync(new URL('../data/test-vectors.json', import.meta.url), 'utf8')) as {
  parsePrice: [string, Expected<{ minor: number; currency: string }>][];
  parsePhone: [string, Expected<string>][];
  parseCount: [string, Expected<number>][];
};

/** The shape a vector's expectation takes as a ParseResult. */
function asResult<T>(expected: Expected<T>) {
  return typeof expected === 'object' && expected !== null && 'error' in expected
    ? { ok: false, error: expected.error }
    : { ok: true, value: expected };
}

const COUNT_RANGE = { min: 1, max: 10_000 };

describe('parsePrice', () => {
  it.each(vectors.parsePrice)('vector %j', (input, expected) => {
    expect(parsePrice(input)).toEqual(asResult(expected));
  });

  it.each([
    ['25₪', 2500, 'ILS'],
    ['25 ش.ج', 2500, 'ILS'],
    ['25 NIS', 2500, 'ILS'],
    ['شيكل 25', 2500, 'ILS'],
    ['25.', 2500, 'ILS'],
    ['25 شيكل.', 2500, 'ILS'],
    ['١٬٥٠٠', 150000, 'ILS'],
    ['1,500.75', 150075, 'ILS'],
    ['10$', 1000, 'USD'],
    ['10 دولارات', 1000, 'USD'],
    ['5 د.أ', 5000, 'JOD'],
    ['5.25 دينار', 5250, 'JOD'],
    ['JD 7', 7000, 'JOD'],
    ['عشرين شيكل', 2000, 'ILS'],
    ['خمسه وعشرين', 2500, 'ILS'],
    ['25.50', 2550, 'ILS'],
    ['1000000', 100000000, 'ILS'],
  ])('%j → %d %s', (input, minor, currency) => {
    expect(parsePrice(input)).toEqual({ ok: true, value: { minor, currency } });
  });

  it.each([
    ['   ', 'empty'],
    ['25.555', 'not_a_number'], // more decimals than agorot: rejected, never rounded
    ['25,5', 'not_a_number'], // neither a thousands group nor a decimal point
    ['25 أو 30', 'not_a_number'],
    ['25 للقطعة', 'not_a_number'],
    ['$10 دولار', 'not_a_number'],
    ['−5', 'not_positive'],
    ['0.00', 'not_positive'],
    ['€25', 'unsupported_currency'],
    ['25 EUR', 'unsupported_currency'],
    ['1000001', 'too_large'],
  ])('%j → %s', (input, error) => {
    expect(parsePrice(input)).toEqual({ ok: false, error });
  });
});

describe('parsePhone', () => {
  // The WhatsApp vector carries a note in its input: "972599123456 (a digits-only WhatsApp id)".
  // The id WhatsApp gives is the digits alone, so the note is dropped before parsing.
  const withoutNote = (input: string) => input.replace(/\s*\(.*\)$/, '');

  it.each(vectors.parsePhone)('vector %j', (input, expected) => {
    expect(parsePhone(withoutNote(input))).toEqual(asResult(expected));
  });

  it.each([
    ['970599123456', '+970599123456'],
    ['\u2066+970 599 123 456\u2069', '+970599123456'],
    ['059-912-3456', '+970599123456'],
    ['+972 59 912 3456', '+972599123456'],
  ])('%j → %s', (input, expected) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '0599 123 456 7', '97259912345'])('%j is invalid', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: 'invalid' });
  });
});

describe('parseCount', () => {
  it.each(vectors.parseCount)('vector %j', (input, expected) => {
    expect(parseCount(input, COUNT_RANGE)).toEqual(asResult(expected));
  });

  it.each([
    ['25 عضوه', 25],
    ['25عضوة', 25],
    ['٢٥ عضوة.', 25],
    ['1,200', 1200],
    ['واحدة', 1],
    ['اتنين', 2],
    ['تلاتة', 3],
    ['خمسه', 5],
    ['خمس عضوات', 5],
    ['تمنية', 8],
    ['احدعش', 11],
    ['إحدى عشرة', 11],
    ['خمسطعش', 15],
    ['ثلاث عشرة عضوة', 13],
    ['عشرون', 20],
    ['خمسة وعشرين', 25],
    ['واحد و ثلاثين', 31],
    ['تلاتين', 30],
    ['خمسين', 50],
    ['تسعين', 90],
    ['مية', 100],
    ['مائة', 100],
  ])('%j → %d', (input, expected) => {
    expect(parseCount(input, COUNT_RANGE)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['2.5', 'not_a_number'],
    ['20 أو 30', 'not_a_number'],
    ['وعشرين', 'not_a_number'],
    ['-3', 'out_of_range'],
    ['صفر', 'out_of_range'],
  ])('%j → %s', (input, error) => {
    expect(parseCount(input, COUNT_RANGE)).toEqual({ ok: false, error });
  });

  it('applies the caller range', () => {
    expect(parseCount('30', { min: 1, max: 20 })).toEqual({ ok: false, error: 'out_of_range' });
    expect(parseCount('0', { min: 0, max: 20 })).toEqual({ ok: true, value: 0 });
  });
});
