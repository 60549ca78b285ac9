import { describe, expect, it } from 'vitest';
import { isolate, isolateLtr } from '../../src/i18n/bidi.js';

const FSI = '\u2068';
const LRI = '\u2066';
const PDI = '\u2069';

describe('isolate', () => {
  it('wraps a value in FSI … PDI', () => {
    expect(isolate('هدى')).toBe(`${FSI}هدى${PDI}`);
  });

  it.each([
    ['an unbalanced PDI', `Huda${PDI} evil`],
    ['a right-to-left override', 'Huda\u202Eevil'],
    ['an embedding and pop', '\u202Aevil\u202C'],
    ['nested isolates', `${LRI}a${PDI}${PDI}${'\u2067'}b`],
  ])('strips %s so the user cannot break out', (_, value) => {
    const inner = isolate(value).slice(1, -1);
    expect(inner).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('keeps marks, which cannot escape an isolate', () => {
    expect(isolate('\u200F45 ₪')).toBe(`${FSI}\u200F45 ₪${PDI}`);
  });

  it('leaves an already isolated value unchanged', () => {
    const phone = isolateLtr('+970599123456');
    expect(isolate(phone)).toBe(phone);
    expect(isolate(isolate('هدى'))).toBe(isolate('هدى'));
  });
});

describe('isolateLtr', () => {
  it('wraps a value in LRI … PDI after stripping controls', () => {
    expect(isolateLtr(`+970\u202E599${PDI}`)).toBe(`${LRI}+970599${PDI}`);
  });
});
