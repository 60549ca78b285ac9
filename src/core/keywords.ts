import { normalizeArabic } from '../i18n/normalize.js';

/** Commands that work in any conversation state and any script. */
export type GlobalKeyword = 'menu' | 'back' | 'cancel' | 'help' | 'language' | 'stop' | 'start' | 'subscribe';

/**
 * What a whole message may say to mean each command: MSA, colloquial Palestinian forms from the
 * glossary (§5), English, and a small Arabizi allow-list. Spelling variants (hamza, ة, harakat,
 * digits) need no entry: entries and messages are normalised the same way.
 * Ambiguous words (لا، مش) are deliberately absent; خلص is "cancel" only, never "stop".
 */
const KEYWORD_PHRASES: Readonly<Record<GlobalKeyword, readonly string[]>> = {
  menu: ['القائمة', 'القائمة الرئيسية', 'قائمة', 'الرئيسية', 'منيو', 'menu', 'main menu', 'qa2ime', 'menyo'],
  back: ['رجوع', 'ارجع', 'ارجعي', 'رجعني', 'رجعيني', 'الخلف', 'السابق', 'back', 'rjoo3', 'rjo3', 'erja3'],
  cancel: ['إلغاء', 'الغي', 'الغي الطلب', 'بلاش', 'خلص', 'cancel', 'elgha2', 'ilgha2', 'khalas', 'balash'],
  stop: [
    'إيقاف',
    'وقف',
    'أوقف',
    'وقفي',
    'بطّل',
    'بطلت',
    'بكفي',
    'لا تبعتلي',
    'ما بدي رسائل',
    'إلغاء الاشتراك',
    'stop',
    'unsubscribe',
    'wa2ef',
    'wa2if',
    'bikaffi',
  ],
  start: ['ابدأ', 'ابدئي', 'البداية', 'start', 'begin'],
  subscribe: [
    'اشترك',
    'اشتركي',
    'اشترك من جديد',
    'فعّل',
    'تفعيل',
    'استئناف',
    'إعادة الاشتراك',
    'subscribe',
    'resume',
  ],
  help: [
    'مساعدة',
    'ساعديني',
    'ساعدني',
    'مش فاهمة',
    'مش فاهم',
    'شو أعمل',
    'ايش أعمل',
    '?',
    'help',
    'sa3deni',
    'sa3idni',
    'musa3ade',
  ],
  language: [
    'اللغة',
    'لغة',
    'عربي',
    'العربية',
    'انجليزي',
    'انكليزي',
    'language',
    'english',
    'arabic',
    '3arabi',
  ],
};

/** Telegram-style slash commands, named after the keyword; "/start@TaawunBot" (group form) is accepted too. */
const COMMANDS: ReadonlySet<string> = new Set<GlobalKeyword>([
  'start',
  'menu',
  'help',
  'stop',
  'language',
  'cancel',
  'back',
  'subscribe',
]);

/** Whether `name` is one of the global commands (also what a `nav:` button may carry). */
export const isCommand = (name: string): name is GlobalKeyword => COMMANDS.has(name);

function buildIndex(): ReadonlyMap<string, GlobalKeyword> {
  const index = new Map<string, GlobalKeyword>();
  for (const [keyword, phrases] of Object.entries(KEYWORD_PHRASES) as [GlobalKeyword, readonly string[]][]) {
    for (const phrase of phrases) {
      const key = normalizeArabic(phrase);
      const taken = index.get(key);
      if (taken && taken !== keyword)
        throw new Error(`Keyword phrase "${phrase}" is both ${taken} and ${keyword}`);
      index.set(key, keyword);
    }
  }
  return index;
}

const PHRASE_INDEX = buildIndex();
const SLASH_COMMAND = /^\/([a-z]+)(?:@\w+)?$/;

/**
 * Recognises a global command when it is the whole message (after normalisation, without trailing
 * "!", "." or "?"), e.g. "القائمة", "وقّف!", "/start", "STOP". Returns null for anything else,
 * so "مش بدي أوقف" (I don't want to stop) is not a stop.
 */
const LEADING_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D|\s)+/u;

export function matchKeyword(text: string): GlobalKeyword | null {
  const normalized = normalizeArabic(text);
  const command = SLASH_COMMAND.exec(normalized);
  if (command) {
    const name = command[1] ?? '';
    return isCommand(name) ? name : null;
  }
  // Leading emoji: a typed or keyboard-sent button label ("🏠 القائمة", "↩️ رجوع") is the keyword too.
  const trimmed = normalized
    .replace(LEADING_EMOJI, '')
    .replace(/[!.?]+$/, '')
    .trim();
  return PHRASE_INDEX.get(trimmed === '' ? normalized : trimmed) ?? null;
}
