import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatPrice } from '../../src/i18n/format.js';

const RLM = '\u200F';
const NBSP = '\u00A0';

describe('formatNumber', () => {
  it.each([
    [1500, 'ar', '1,500'],
    [1234567.5, 'ar', '1,234,567.5'],
    [1500, 'en', '1,500'],
  ] as const)('%d in %s → %s (Latin digits in both)', (n, locale, expected) => {
    expect(formatNumber(n, locale)).toBe(expected);
  });
});

describe('formatPrice', () => {
  it.each([
    [4500, 'ILS', 'ar', `${RLM}45${NBSP}₪`],
    [2550, 'ILS', 'ar', `${RLM}25.50${NBSP}₪`],
    [150000, 'ILS', 'ar', `${RLM}1,500${NBSP}₪`],
    [1000, 'USD', 'ar', `${RLM}10${NBSP}$`],
    [5250, 'JOD', 'ar', `${RLM}5.250${NBSP}د.أ`],
    [5000, 'JOD', 'ar', `${RLM}5${NBSP}د.أ`],
    [4500, 'ILS', 'en', '₪45'],
    [2550, 'ILS', 'en', '₪25.50'],
    [1000, 'USD', 'en', '$10'],
    [5250, 'JOD', 'en', `JOD${NBSP}5.250`],
  ] as const)('%d %s in %s → %j', (minor, currency, locale, expected) => {
    expect(formatPrice(minor, currency, locale)).toBe(expected);
  });

  it('matches what Intl writes for whole shekels in Arabic', () => {
    const intl = new Intl.NumberFormat('ar-PS-u-nu-latn', {
      style: 'currency',
      currency: 'ILS',
      maximumFractionDigits: 0,
    });
    expect(formatPrice(4500, 'ILS', 'ar')).toBe(intl.format(45));
  });
});

describe('formatDate', () => {
  // 22:30 UTC on 5 March is already 6 March in Gaza (UTC+2).
  const date = new Date('2025-03-05T22:30:00Z');

  it('uses Gaza time, Levantine month names and Latin digits in Arabic', () => {
    expect(formatDate(date, 'ar')).toBe('6 آذار 2025');
  });

  it('writes English dates in English', () => {
    expect(formatDate(date, 'en')).toBe('March 6, 2025');
  });

  it('follows Gaza summer time', () => {
    expect(formatDate(new Date('2025-07-31T21:30:00Z'), 'ar')).toBe('1 آب 2025');
  });
});

describe('formatDateTime', () => {
  const date = new Date('2025-03-06T08:05:00Z');

  it('adds weekday and Gaza time', () => {
    const ar = formatDateTime(date, 'ar');
    expect(ar).toContain('الخميس');
    expect(ar).toContain('6 آذار 2025');
    expect(ar).toContain('10:05');
    expect(formatDateTime(date, 'en')).toMatch(/^Thursday, March 6, 2025.*10:05/);
  });
});
