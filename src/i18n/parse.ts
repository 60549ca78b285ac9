import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { CURRENCY_DIGITS, type Currency } from './format.js';
import { normalizeArabic } from './normalize.js';

/**
 * Parsers for numbers, phones and prices as users type them: any digit script, Arabic number
 * words, currency words in Arabic and English (ARABIC.md "Numbers, money, phones, dates").
 */

/** The outcome of a parser: the value, or a machine-readable reason the caller turns into a polite reply. */
export type ParseResult<T, E extends string = string> = { ok: true; value: T } | { ok: false; error: E };

export type CountError = 'empty' | 'not_a_number' | 'out_of_range';
export type PhoneError = 'invalid';
export type PriceError = 'empty' | 'not_a_number' | 'not_positive' | 'unsupported_currency' | 'too_large';

/** A price in integer minor units (agorot, cents, fils). */
export interface Price {
  minor: number;
  currency: Currency;
}

/** The largest price accepted, in major units: anything above is almost surely a typo. */
export const MAX_PRICE_MAJOR = 1_000_000;

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = <E extends string>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Arabic number words, MSA and colloquial Palestinian spellings; normalised at load. */
const NUMBER_WORDS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['صفر']],
  [1, ['واحد', 'واحدة', 'وحدة']],
  [2, ['اثنان', 'اثنين', 'اثنتان', 'اثنتين', 'اتنين', 'تنين', 'ثنتين', 'تنتين']],
  [3, ['ثلاثة', 'ثلاث', 'تلاتة', 'تلات']],
  [4, ['أربعة', 'أربع']],
  [5, ['خمسة', 'خمس']],
  [6, ['ستة', 'ست']],
  [7, ['سبعة', 'سبع']],
  [8, ['ثمانية', 'ثماني', 'ثمان', 'تمانية', 'تمنية', 'تمان']],
  [9, ['تسعة', 'تسع']],
  [10, ['عشرة', 'عشر']],
  [11, ['أحد عشر', 'إحدى عشرة', 'احدعش', 'احدعشر', 'حداعش', 'إحداعش']],
  [12, ['اثنا عشر', 'اثني عشر', 'اثنتا عشرة', 'اثنتي عشرة', 'اثنعش', 'اطنعش', 'تنعش']],
  [13, ['ثلاثة عشر', 'ثلاث عشرة', 'تلطعش', 'تلتعش']],
  [14, ['أربعة عشر', 'أربع عشرة', 'اربعطعش', 'اربعتعش']],
  [15, ['خمسة عشر', 'خمس عشرة', 'خمسطعش', 'خمستعش']],
  [16, ['ستة عشر', 'ست عشرة', 'سطعش', 'ستعش']],
  [17, ['سبعة عشر', 'سبع عشرة', 'سبعطعش', 'سبعتعش']],
  [18, ['ثمانية عشر', 'ثماني عشرة', 'تمنطعش', 'تمانطعش', 'تمنتعش']],
  [19, ['تسعة عشر', 'تسع عشرة', 'تسعطعش', 'تسعتعش']],
  [20, ['عشرون', 'عشرين']],
  [30, ['ثلاثون', 'ثلاثين', 'تلاتين']],
  [40, ['أربعون', 'أربعين']],
  [50, ['خمسون', 'خمسين']],
  [60, ['ستون', 'ستين']],
  [70, ['سبعون', 'سبعين']],
  [80, ['ثمانون', 'ثمانين', 'تمانين']],
  [90, ['تسعون', 'تسعين']],
  [100, ['مئة', 'مائة', 'مية']],
];

const NUMBER_WORD_VALUES: ReadonlyMap<string, number> = new Map(
  NUMBER_WORDS.flatMap(([value, words]) => words.map((word) => [normalizeArabic(word), value] as const)),
);

const isUnit = (n: number | undefined): n is number => n !== undefined && n >= 1 && n <= 9;
const isTens = (n: number | undefined): n is number => n !== undefined && n >= 20 && n <= 90 && n % 10 === 0;

/** A tens word joined by و: "وعشرين" or "و عشرين" as the next one or two tokens. */
function readAndTens(tokens: readonly string[]): { value: number; used: number } | null {
  const [first = '', second = ''] = tokens;
  const [word, used] = first === 'و' ? [second, 2] : [first.slice(1), 1];
  const tens = first.startsWith('و') ? NUMBER_WORD_VALUES.get(word) : undefined;
  return isTens(tens) ? { value: tens, used } : null;
}

/**
 * Reads a number written in words at the start of normalised tokens: a one- or two-word entry
 * ("خمسه", "خمسه عشر") or units and tens ("خمسه وعشرين" = 25).
 */
function readNumberWords(tokens: readonly string[]): { value: number; rest: string[] } | null {
  const first = NUMBER_WORD_VALUES.get(tokens[0] ?? '');
  if (isUnit(first)) {
    const tens = readAndTens(tokens.slice(1));
    if (tens) return { value: first + tens.value, rest: tokens.slice(1 + tens.used) };
  }
  const pair = NUMBER_WORD_VALUES.get(tokens.slice(0, 2).join(' '));
  if (tokens.length >= 2 && pair !== undefined) return { value: pair, rest: tokens.slice(2) };
  return first === undefined ? null : { value: first, rest: tokens.slice(1) };
}

/** Drops sentence punctuation typed after the last word or number ("25!", "خمسه."). */
function trimTrailingPunctuation(text: string): string {
  return text.replace(/[!?.]+$/, '').trim();
}

const HAS_DIGIT = /\d/;
const INTEGER = /^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)$/;
const LEADING_NUMBER = /^([-−]?\d[\d,.]*)\s*(.*)$/;

/**
 * Parses a count ("25", "٢٥", "25 عضوة", "خمسة", "خمسه وعشرين") and checks it lies in [min, max].
 * Words after the number are allowed; a second number makes the answer ambiguous.
 */
export function parseCount(
  text: string,
  range: { min: number; max: number },
): ParseResult<number, CountError> {
  const input = trimTrailingPunctuation(normalizeArabic(text));
  if (input === '') return fail('empty');
  let value: number;
  let rest: string;
  const digits = LEADING_NUMBER.exec(input);
  if (digits) {
    const [, number = '', after = ''] = digits;
    if (!INTEGER.test(number)) return fail('not_a_number');
    value = Number(number.replace(/,/g, '').replace('−', '-'));
    rest = after;
  } else {
    const words = readNumberWords(input.split(' '));
    if (!words) return fail('not_a_number');
    value = words.value;
    rest = words.rest.join(' ');
  }
  if (HAS_DIGIT.test(rest)) return fail('not_a_number');
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) return fail('out_of_range');
  return ok(value);
}

/**
 * Parses a phone number into E.164, Palestine (+970) by default. A digits-only 12-digit id from
 * WhatsApp ("970…" / "972…") already carries its country code and gets a "+" first.
 */
export function parsePhone(text: string): ParseResult<string, PhoneError> {
  const input = normalizeArabic(text);
  const international = /^97[02]\d{9}$/.test(input) ? `+${input}` : input;
  const phone = parsePhoneNumberFromString(international, 'PS');
  return phone?.isValid() ? ok(phone.number) : fail('invalid');
}

/** Currency words and symbols as users write them; normalised at load. */
const CURRENCY_WORDS: Readonly<Record<Currency, readonly string[]>> = {
  ILS: [
    '₪',
    'شيكل',
    'شيقل',
    'شواكل',
    'شيكلات',
    'شيقلات',
    'ش.ج',
    'شيكل جديد',
    'nis',
    'ils',
    'shekel',
    'shekels',
  ],
  USD: ['$', 'us$', 'دولار', 'دولارات', 'دولار أمريكي', 'usd', 'dollar', 'dollars'],
  JOD: ['د.أ', 'دينار', 'دنانير', 'دينار أردني', 'jd', 'jod', 'dinar', 'dinars'],
};

const CURRENCY_BY_WORD: ReadonlyMap<string, Currency> = new Map(
  (Object.entries(CURRENCY_WORDS) as [Currency, readonly string[]][]).flatMap(([currency, words]) =>
    words.map((word) => [normalizeArabic(word), currency] as const),
  ),
);

/** Other currencies, recognised only to give a precise error. */
const FOREIGN_CURRENCY = new Set(
  ['€', '£', '¥', 'يورو', 'جنيه', 'ريال', 'درهم', 'ليرة', 'euro', 'euros', 'pound', 'pounds'].map(
    normalizeArabic,
  ),
);
const CURRENCY_CODE = /^[a-z]{3}$/;

const DECIMAL = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/;
const PRICE_PARTS = /^([^\d\-−]*?)\s*([-−]?)\s*(\d[\d.,]*)\s*(.*)$/;

/** Splits a normalised price into the text around the number and the number itself. */
function splitPrice(input: string): { sign: string; number: string; currencyText: string[] } | null {
  const parts = PRICE_PARTS.exec(input);
  if (parts) {
    const [, before = '', sign = '', number = '', after = ''] = parts;
    return { sign, number, currencyText: [before, after].filter((s) => s !== '') };
  }
  const words = readNumberWords(input.split(' '));
  if (!words) return null;
  const after = words.rest.join(' ');
  return { sign: '', number: String(words.value), currencyText: after === '' ? [] : [after] };
}

function currencyOf(currencyText: readonly string[]): ParseResult<Currency, PriceError> {
  const [text, extra] = currencyText;
  if (text === undefined) return ok('ILS');
  const currency = CURRENCY_BY_WORD.get(text);
  if (currency && extra === undefined) return ok(currency);
  if (extra === undefined && (FOREIGN_CURRENCY.has(text) || CURRENCY_CODE.test(text))) {
    return fail('unsupported_currency');
  }
  return fail('not_a_number');
}

/**
 * Parses a price into integer minor units and a currency (ILS unless one is named):
 * "25", "٢٥٫٥", "1,500", "₪25", "25 شيكل", "$10", "10 دولار", "5.250 JOD", "عشرين شيكل".
 * More decimals than the currency has (other than trailing zeros) are rejected rather than rounded.
 */
export function parsePrice(text: string): ParseResult<Price, PriceError> {
  const input = normalizeArabic(text).replace(/(\D)[!?.]+$/, '$1');
  if (input === '') return fail('empty');
  const parts = splitPrice(input);
  if (!parts) return fail('not_a_number');
  const currency = currencyOf(parts.currencyText);
  if (!currency.ok) return currency;
  const decimal = DECIMAL.exec(parts.number);
  if (!decimal) return fail('not_a_number');
  const digits = CURRENCY_DIGITS[currency.value];
  const whole = (decimal[1] ?? '').replace(/,/g, '');
  const fraction = (decimal[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return fail('not_a_number');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0'));
  if (parts.sign !== '' || minor === 0) return fail('not_positive');
  if (minor > MAX_PRICE_MAJOR * 10 ** digits) return fail('too_large');
  return ok({ minor, currency: currency.value });
}
