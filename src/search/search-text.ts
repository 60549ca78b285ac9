import { normalizeArabic } from '../i18n/normalize.js';

/**
 * Proclitics stripped from the front of a word before indexing or searching: the article ال with
 * the conjunctions and prepositions that attach to it (والزيت، بالزيت، للزيت). A buyer typing
 * "زيت الزيتون" must find "زيت زيتون بلدي". Longest first, so "وال" wins over "ال".
 */
const ARTICLES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال'];
/** A word shorter than this after stripping was not an article word (الم، الف). */
const MIN_STEM = 2;

function stripArticle(word: string): string {
  for (const article of ARTICLES) {
    if (word.startsWith(article) && word.length - article.length >= MIN_STEM) {
      return word.slice(article.length);
    }
  }
  return word;
}

/**
 * The words search compares: normalised per ARABIC.md (hamza, ة/ه, ى/ي, harakat, tatweel, digits),
 * split on anything that is not a letter or digit, articles stripped.
 * @example searchWords('زَيْت الزّيتون') // ['زيت', 'زيتون']
 */
export function searchWords(text: string): string[] {
  return normalizeArabic(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map(stripArticle);
}

/** The indexed form of a text: its search words joined by single spaces. */
export function searchText(text: string): string {
  return searchWords(text).join(' ');
}

/** What a product stores for search: its name alone (ranked first) and its name with its description. */
export function productSearchFields(name: string, description: string | null | undefined) {
  return {
    searchName: searchText(name),
    searchText: searchText(`${name} ${description ?? ''}`),
  };
}
