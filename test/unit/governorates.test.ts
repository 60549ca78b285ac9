import { describe, expect, it } from 'vitest';
import { findGovernorate, GOVERNORATES } from '../../src/data/governorates.js';

describe('GOVERNORATES', () => {
  it('lists the 16 governorates, Gaza Strip first, in order', () => {
    expect(GOVERNORATES).toHaveLength(16);
    expect(GOVERNORATES.map((g) => g.order)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(GOVERNORATES.slice(0, 5).every((g) => g.territory === 'gaza_strip')).toBe(true);
    expect(GOVERNORATES[0]?.slug).toBe('north-gaza');
  });

  it('has unique slugs', () => {
    expect(new Set(GOVERNORATES.map((g) => g.slug)).size).toBe(16);
  });
});

describe('findGovernorate', () => {
  it.each([
    ['gaza', 'gaza'],
    ['غزة', 'gaza'],
    ['غزه', 'gaza'],
    ['محافظة غزة', 'gaza'],
    ['Gaza City', 'gaza'],
    ['شمال غزة', 'north-gaza'],
    ['محافظة الشمال', 'north-gaza'],
    ['north-gaza', 'north-gaza'],
    ['الوسطى', 'deir-al-balah'],
    ['محافظة الوسطى', 'deir-al-balah'],
    ['deir el balah', 'deir-al-balah'],
    ['Deir el-Balah', 'deir-al-balah'],
    ['خانيونس', 'khan-yunis'],
    ['محافظة خان يونس', 'khan-yunis'],
    ['KHAN YOUNIS', 'khan-yunis'],
    ['رفح', 'rafah'],
    ['رام الله', 'ramallah-al-bireh'],
    ['البيرة', 'ramallah-al-bireh'],
    ['اريحا', 'jericho'],
    ['أريحا والأغوار', 'jericho'],
    ['القدس', 'jerusalem'],
    ['al-quds', 'jerusalem'],
    ['طوباس والأغوار الشمالية', 'tubas'],
    ['محافظة طوباس والأغوار الشمالية', 'tubas'],
    ['طول كرم', 'tulkarm'],
    ['قلقيليه', 'qalqilya'],
    ['الخليل', 'hebron'],
    ['  بَيْت لَحْم ', 'bethlehem'],
  ])('%j → %s', (text, slug) => {
    expect(findGovernorate(text)?.slug).toBe(slug);
  });

  it.each(['', 'محافظة', 'عمّان', 'غزة رفح', 'Paris'])('%j → null', (text) => {
    expect(findGovernorate(text)).toBeNull();
  });
});
