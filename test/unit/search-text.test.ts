import { describe, expect, it } from 'vitest';
import { productSearchFields, searchWords } from '../../src/search/search-text.js';

describe('searchWords', () => {
  it.each([
    ['زَيْت', ['زيت']],
    ['زيت الزيتون', ['زيت', 'زيتون']],
    ['زيت زيتون بلدي', ['زيت', 'زيتون', 'بلدي']],
    ['مطرّزة بالخيط', ['مطرزه', 'خيط']],
    ['صابون وزيت', ['صابون', 'وزيت']],
    ['والجبنة للبيع', ['جبنه', 'بيع']],
    ['أجبان إبريق آنية', ['اجبان', 'ابريق', 'انيه']],
    ['مـــربى', ['مربي']],
    ['علبة ١٢ قطعة', ['علبه', '12', 'قطعه']],
    ['Olive OIL, 1L!', ['olive', 'oil', '1l']],
    ['الم', ['الم']],
    ['  ', []],
  ])('%s → %j', (input, words) => {
    expect(searchWords(input)).toEqual(words);
  });
});

describe('productSearchFields', () => {
  it('indexes the name alone and the name with the description', () => {
    expect(productSearchFields('زيت زيتون بلدي', 'من كروم بيت حانون')).toEqual({
      searchName: 'زيت زيتون بلدي',
      searchText: 'زيت زيتون بلدي من كروم بيت حانون',
    });
    expect(productSearchFields('مفتول', null).searchText).toBe('مفتول');
  });
});
