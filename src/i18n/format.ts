import type { Locale } from './i18n.js';

/**
 * Number, price and date formatting for outgoing messages (ARABIC.md "Numbers, money, phones, dates").
 * Arabic uses `ar-PS` with Latin digits: the same output on every Node build, and what users type.
 */

/** Currencies a price may be in; ILS is the default. */
export type Currency = 'ILS' | 'USD' | 'JOD';

/** Digits after the decimal point in each currency's minor unit (JOD has fils: 1/1000). */
export const CURRENCY_DIGITS: Readonly<Record<Currency, number>> = { ILS: 2, USD: 2, JOD: 3 };

const INTL_LOCALE: Readonly<Record<Locale, string>> = { ar: 'ar-PS-u-nu-latn', en: 'en' };
const TIME_ZONE = 'Asia/Gaza';
const NBSP = '\u00A0';
const RLM = '\u200F';

/**
 * How a price is written around its number. Arabic: RLM, number, no-break space, symbol, as CLDR
 * writes `ar` prices (`Intl` gives the same for ILS), so the symbol shows to the left of the number
 * in right-to-left text. English: symbol first, except the dinar, written "JOD 5.250" as `Intl` does.
 */
const PRICE_PATTERN: Readonly<Record<Locale, Readonly<Record<Currency, (amount: string) => string>>>> = {
  ar: {
    ILS: (amount) => `${RLM}${amount}${NBSP}₪`,
    USD: (amount) => `${RLM}${amount}${NBSP}$`,
    JOD: (amount) => `${RLM}${amount}${NBSP}د.أ`,
  },
  en: {
    ILS: (amount) => `₪${amount}`,
    USD: (amount) => `$${amount}`,
    JOD: (amount) => `JOD${NBSP}${amount}`,
  },
};

/** Formats a number with grouping, e.g. 1500 → "1,500" in both languages. */
export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale]).format(n);
}

/**
 * Formats a price given in integer minor units. Whole prices drop their decimals ("45 ₪"); others
 * show every digit of the minor unit ("25.50 ₪", "5.250 د.أ").
 * @example formatPrice(4500, 'ILS', 'ar') // '\u200F45\u00A0₪'
 */
export function formatPrice(minor: number, currency: Currency, locale: Locale): string {
  const digits = CURRENCY_DIGITS[currency];
  const scale = 10 ** digits;
  const fractionDigits = minor % scale === 0 ? 0 : digits;
  const amount = new Intl.NumberFormat(INTL_LOCALE[locale], {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(minor / scale);
  return PRICE_PATTERN[locale][currency](amount);
}

/** Formats a calendar date in Gaza time: "6 آذار 2025" / "March 6, 2025". */
export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

/** Formats a date with weekday and time in Gaza time, for meetings: "الخميس، 6 آذار 2025 في 12:30 ص". */
export function formatDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}
