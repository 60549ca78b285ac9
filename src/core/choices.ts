import { normalizeArabic } from '../i18n/normalize.js';
import type { Choice } from './message.js';

/** A keycap emoji ("2️⃣"): its digit is what the user means. */
const KEYCAP = /([0-9#*])\uFE0F?\u20E3/gu;
/** Emoji, their modifiers and joiners, punctuation and symbols: decoration around a label's words. */
const DECORATION = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|[\uFE0E\uFE0F\u200D]|\p{P}|\p{S}/gu;
/** A choice number: "2", "٢", "2)", "2." (digits are already Latin after normalisation). */
const CHOICE_NUMBER = /^(\d+)\s*[).]?$/;
const MIN_PREFIX = 3;

function withoutDecoration(normalized: string): string {
  return normalized.replace(KEYCAP, '').replace(DECORATION, ' ').replace(/\s+/g, ' ').trim();
}

/** The choice a typed number names, 1-based, in any digits ("2", "٢", "2)", "2️⃣"), if any. */
export function choiceByNumber<C extends Choice>(text: string, choices: readonly C[]): C | undefined {
  const number = CHOICE_NUMBER.exec(normalizeArabic(text.replace(KEYCAP, '$1')));
  return number ? choices[Number(number[1]) - 1] : undefined;
}

function byUniquePrefix(input: string, labels: readonly string[], choices: readonly Choice[]): string | null {
  if (input.length < MIN_PREFIX) return null;
  const matches = choices.filter((_, i) => labels[i]?.startsWith(input));
  return matches.length === 1 ? (matches[0]?.id ?? null) : null;
}

/**
 * Finds the choice a typed answer means: the label itself (normalised, with or without its emoji
 * and punctuation), the choice's 1-based number in any digit script ("٢", "2)"), or a prefix of at
 * least three letters that fits one label only. Returns the choice's id, or null.
 */
export function matchChoice(text: string, choices: readonly Choice[]): string | null {
  const input = normalizeArabic(text.replace(KEYCAP, '$1'));
  if (input === '') return null;
  const exact = choices.find((choice) => normalizeArabic(choice.label) === input);
  if (exact) return exact.id;
  const numbered = choiceByNumber(input, choices);
  if (numbered) return numbered.id;
  const bare = withoutDecoration(input);
  if (bare === '') return null;
  const labels = choices.map((choice) => withoutDecoration(normalizeArabic(choice.label)));
  const index = labels.indexOf(bare);
  if (index >= 0) return choices[index]?.id ?? null;
  return byUniquePrefix(bare, labels, choices);
}

/** Yes and no as members write them (glossary §6), normalised at load. */
const YES_NO_WORDS: Readonly<Record<'yes' | 'no', readonly string[]>> = {
  yes: [
    'نعم',
    'آه',
    'أيوه',
    'ايوا',
    'إي',
    'أكيد',
    'طبعاً',
    'تمام',
    'ماشي',
    'طيب',
    'أوكي',
    'اوك',
    'موافقة',
    'موافق',
    '👍',
    '✅',
    'yes',
    'y',
    'yeah',
    'ok',
    'okay',
    'aywa',
    'aiwa',
    'akeed',
    'tamam',
    'ah',
    'aah',
    'eh',
  ],
  no: [
    'لا',
    'لاء',
    'لا شكراً',
    'مش',
    'بديش',
    'ما بدي',
    'مش بدي',
    '👎',
    '❌',
    'no',
    'n',
    'nope',
    'la',
    'la2',
    'laa',
    'bdish',
  ],
};

const YES_NO_INDEX: ReadonlyMap<string, 'yes' | 'no'> = new Map(
  (Object.entries(YES_NO_WORDS) as ['yes' | 'no', readonly string[]][]).flatMap(([answer, words]) =>
    words.map((word) => [normalizeArabic(word), answer] as const),
  ),
);

/** Skin tones and variation selectors that users' keyboards add to 👍. */
const EMOJI_VARIANTS = /[\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F]/gu;

/**
 * Reads a whole message as yes or no ("أيوه", "لأ", "👍🏽", "la2"); null when it is neither.
 * Use it only right after a yes/no question: out of context "لا" or "مش" are not answers.
 */
export function matchYesNo(text: string): 'yes' | 'no' | null {
  const input = normalizeArabic(text.replace(EMOJI_VARIANTS, '')).replace(/[!.]+$/, '');
  return YES_NO_INDEX.get(input) ?? null;
}
