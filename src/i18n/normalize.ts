/**
 * Folding of what users type, following ARABIC.md "Reading what users type".
 * These functions are for matching and searching only: never run outgoing text through them.
 */

/** Step 2: bidi and invisible controls (ALM, ZWSP..RLM, LRE..RLO, LRI..PDI, BOM). */
const INVISIBLE_CONTROLS = /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Step 3: Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..) digits, and Arabic punctuation. */
const DIGITS_AND_PUNCTUATION = /[\u0660-\u0669\u06F0-\u06F9\u066A-\u066C\u060C\u061B\u061F]/g;
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u066A': '%', // ٪
  '\u066B': '.', // ٫ decimal separator
  '\u066C': '', // ٬ thousands separator
  '\u060C': ',', // ،
  '\u061B': ';', // ؛
  '\u061F': '?', // ؟
};

/** Step 4: harakat, superscript alef, Quranic marks and tatweel. */
const DIACRITICS = /[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;

/** Step 5: hamza carriers and alef maqsura. */
const LETTER_VARIANTS = /[\u0623\u0625\u0622\u0671\u0649\u0624\u0626]/g;
const LETTERS: Readonly<Record<string, string>> = {
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0622': '\u0627', // آ → ا
  '\u0671': '\u0627', // ٱ → ا
  '\u0649': '\u064A', // ى → ي
  '\u0624': '\u0648', // ؤ → و
  '\u0626': '\u064A', // ئ → ي
};

function foldDigit(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  return PUNCTUATION[ch] ?? ch;
}

/** Step 3 alone: Arabic-Indic and Persian digits to 0–9 and Arabic punctuation to ASCII; nothing else changes. */
export function toLatinDigits(text: string): string {
  return text.replace(DIGITS_AND_PUNCTUATION, foldDigit);
}

/** Steps 1–5 and 7: everything except ة → ه. */
function fold(text: string): string {
  const letters = toLatinDigits(text.normalize('NFKC').replace(INVISIBLE_CONTROLS, ''))
    .replace(DIACRITICS, '')
    .replace(LETTER_VARIANTS, (ch) => LETTERS[ch] ?? ch);
  return letters.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Normalises user input for search and keyword matching (ARABIC.md steps 1–7, including ة → ه).
 * @example normalizeArabic('إبرة وآنية') // 'ابره وانيه'
 */
export function normalizeArabic(text: string): string {
  return fold(text).replace(/\u0629/g, '\u0647');
}

/**
 * Normalises a name for de-duplication: like {@link normalizeArabic} but keeps ة,
 * since folding it into ه merges names that are really different.
 */
export function normalizeName(text: string): string {
  return fold(text);
}
