import type { Choice, OutboundMessage } from '../../core/message.js';
import { NAV_PREFIX } from '../../core/turn.js';
import { normalizeArabic } from '../../i18n/normalize.js';

/** Menus of up to this many numbered choices are shown whole; longer ones in pages. */
export const WHOLE_MENU_MAX = 12;
/** Numbered choices per page of a long menu: single keys on the first page, and "0" turns it. */
export const PAGE_SIZE = 9;
/** A photo's caption holds at most this much of the text; a longer text follows the photo. */
export const CAPTION_LIMIT = 1024;

/** The back and menu choices the engine adds to every step: keywords, shown as words to type. */
const NAV_WORDS = new Set([`${NAV_PREFIX}back`, `${NAV_PREFIX}menu`]);

/** Words the renderer needs but does not own, from `locales/*\/whatsapp-web.json`, through the caller. */
export interface MenuLabels {
  /** "0)" on a page that has a next one. */
  more: string;
  /** "0)" on the last page: back to the first. */
  firstPage: string;
  /** Before the back / menu words: "Or type:". */
  orType: string;
}

/**
 * A message's choices as WhatsApp shows them (its buttons and lists no longer work there): the
 * step's own choices numbered 1, 2, 3… in the engine's order, so a typed number (in any digits), a
 * label or a keyword is matched by the engine itself; the back / menu choices it appended are words.
 */
export interface Menu {
  numbered: Choice[];
  words: Choice[];
}

/** Splits the trailing back / menu choices off; every choice before them keeps its number. */
export function menuOf(choices: readonly Choice[]): Menu {
  let end = choices.length;
  while (end > 0 && NAV_WORDS.has(choices[end - 1]?.id ?? '')) end--;
  return { numbered: choices.slice(0, end), words: choices.slice(end) };
}

/** How many pages the menu takes: one when it is short enough to show whole. */
export function pageCount(menu: Menu): number {
  const count = menu.numbered.length;
  return count <= WHOLE_MENU_MAX ? 1 : Math.ceil(count / PAGE_SIZE);
}

/** The menu's lines for one page (0 is the first; out-of-range pages are clamped). */
export function menuLines(menu: Menu, labels: MenuLabels, page = 0): string[] {
  const pages = pageCount(menu);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const first = pages === 1 ? 0 : current * PAGE_SIZE;
  const shown = pages === 1 ? menu.numbered : menu.numbered.slice(first, first + PAGE_SIZE);
  const lines = shown.map((choice, i) => `${first + i + 1}) ${choice.label}`);
  if (pages > 1) lines.push(`0) ${current < pages - 1 ? labels.more : labels.firstPage}`);
  if (menu.words.length) {
    if (lines.length) lines.push('');
    lines.push(`${labels.orType} ${menu.words.map((choice) => choice.label).join(' · ')}`);
  }
  return lines;
}

/** What one outbound message becomes: its text with the menu under it, and the menu if it has pages. */
export function renderText(message: OutboundMessage, labels: MenuLabels): { text: string; paged?: Menu } {
  const menu = menuOf(message.choices ?? []);
  if (!menu.numbered.length && !menu.words.length) return { text: message.text };
  const lines = menuLines(menu, labels);
  const text = message.text.trim() === '' ? lines.join('\n') : `${message.text}\n\n${lines.join('\n')}`;
  return pageCount(menu) > 1 ? { text, paged: menu } : { text };
}

/** A keycap's mark ("0️⃣" is "0" and this). */
const KEYCAP = /\uFE0F?\u20E3/gu;

/** "0" (in any digits, "0)", "0." or "0️⃣" too): she asks for the next page of a long menu. */
export const asksForNextPage = (text: string): boolean =>
  /^0\s*[).]?$/.test(normalizeArabic(text.replace(KEYCAP, '')));
