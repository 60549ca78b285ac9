import { describe, expect, it } from 'vitest';
import { choiceByNumber, matchChoice, matchYesNo } from '../../src/core/choices.js';

const CHOICES = [
  { id: 'catalog', label: '🛍️ دليل المنتجات' },
  { id: 'funding', label: '💰 التمويل الأصغر' },
  { id: 'events', label: 'الاجتماعات وورش العمل' },
  { id: 'register', label: 'تسجيل جمعية' },
];

describe('matchChoice', () => {
  it.each([
    ['1', 'catalog'],
    ['٢', 'funding'],
    ['۳', 'events'],
    ['4)', 'register'],
    ['2.', 'funding'],
    ['2️⃣', 'funding'],
    [' 1 ', 'catalog'],
  ])('number %j → %s', (text, id) => {
    expect(matchChoice(text, CHOICES)).toBe(id);
  });

  it.each([
    ['🛍️ دليل المنتجات', 'catalog'],
    ['دليل المنتجات', 'catalog'],
    ['دليلُ المُنتَجات', 'catalog'],
    ['التمويل الاصغر', 'funding'],
    ['تسجيل جمعيه', 'register'],
    ['تسجيل جمعية!', 'register'],
  ])('label %j → %s', (text, id) => {
    expect(matchChoice(text, CHOICES)).toBe(id);
  });

  it.each([
    ['دليل', 'catalog'],
    ['الاجتماعات', 'events'],
    ['تسج', 'register'],
    ['الت', 'funding'],
  ])('unique prefix %j → %s', (text, id) => {
    expect(matchChoice(text, CHOICES)).toBe(id);
  });

  it.each([
    ['0', 'no choice 0'],
    ['5', 'only four choices'],
    ['ال', 'prefix shorter than three letters'],
    ['المنتجات', 'not a prefix'],
    ['', 'empty'],
    ['🛍️', 'emoji alone'],
  ])('%j → null (%s)', (text) => {
    expect(matchChoice(text, CHOICES)).toBeNull();
  });

  it('refuses a prefix shared by two labels', () => {
    const choices = [
      { id: 'a', label: 'جمعية النور' },
      { id: 'b', label: 'جمعية الأمل' },
    ];
    expect(matchChoice('جمعية', choices)).toBeNull();
    expect(matchChoice('جمعية الا', choices)).toBe('b');
  });

  it('prefers a label that is itself a number over the position', () => {
    const choices = [
      { id: 'ten', label: '10' },
      { id: 'two', label: '2' },
    ];
    expect(matchChoice('2', choices)).toBe('two');
    expect(matchChoice('1', choices)).toBe('ten');
  });
});

describe('choiceByNumber', () => {
  it('reads a number only: the choice it names, never a label or a prefix', () => {
    expect(choiceByNumber('٣)', CHOICES)).toBe(CHOICES[2]);
    expect(choiceByNumber('4️⃣', CHOICES)).toBe(CHOICES[3]);
    expect(choiceByNumber('دليل المنتجات', CHOICES)).toBeUndefined();
    expect(choiceByNumber('0', CHOICES)).toBeUndefined();
    expect(choiceByNumber('5', CHOICES)).toBeUndefined();
  });
});

describe('matchYesNo', () => {
  it.each([
    'نعم',
    'آه',
    'اه',
    'أيوه',
    'ايوا',
    'إي',
    'اكيد',
    'طبعاً',
    'تمام',
    'ماشي',
    'طيب',
    'اوكي',
    '👍',
    '👍🏽',
    '👍️',
    'yes',
    'Y',
    'OK',
    'aywa',
    'akeed',
    'tamam',
    'نعم!',
  ])('%j → yes', (text) => {
    expect(matchYesNo(text)).toBe('yes');
  });

  it.each(['لا', 'لأ', 'لاء', 'لا شكرا', 'مش', 'بديش', 'ما بدي', '👎', '👎🏻', 'no', 'N', 'la', 'la2'])(
    '%j → no',
    (text) => {
      expect(matchYesNo(text)).toBe('no');
    },
  );

  it.each(['', 'ربما', 'مش عارفة', 'yes no', 'نعم لا', '1'])('%j → null', (text) => {
    expect(matchYesNo(text)).toBeNull();
  });
});
