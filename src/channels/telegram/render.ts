import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import type { Choice, MediaRef, OutboundMessage } from '../../core/message.js';
import { NAV_PREFIX } from '../../core/turn.js';

/** Telegram's limits (Bot API): message text and caption length in UTF-16 units, callback data in bytes. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const CALLBACK_DATA_LIMIT = 64;
/** Choices shown per keyboard page; more turn into pages with next / previous buttons. */
export const PAGE_SIZE = 8;
/** Labels up to this many characters share a row, two by two. */
const SHORT_LABEL = 16;
const PAGE_DATA = /^pg:(\d{1,3})$/;

/** Words the renderer needs but does not own: they come from the locales, through the caller. */
export interface RenderLabels {
  next: string;
  previous: string;
  sharePhone: string;
}

type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup;

/** The choices behind a keyboard with several pages, kept by the adapter to turn its pages. */
export interface Paging {
  choices: Choice[];
  token?: string;
}

/** One Bot API call, ready to make: text and caption already HTML-escaped. */
export type TelegramSend =
  | {
      method: 'sendMessage';
      text: string;
      other: { parse_mode: 'HTML'; reply_markup?: ReplyMarkup };
      paging?: Paging;
    }
  | {
      method: 'sendPhoto';
      photo: string;
      other: { parse_mode: 'HTML'; caption?: string; reply_markup?: ReplyMarkup };
      paging?: Paging;
    };

/** What one outbound message becomes on Telegram. */
export interface RenderResult {
  sends: TelegramSend[];
  /** A photo that cannot be sent on Telegram yet (stored media, another channel's file); its text still is. */
  unsentPhoto?: MediaRef;
}

/** Raised when a choice id would not fit in Telegram's 64-byte callback data: a bug to fix, never to truncate. */
export class CallbackDataTooLongError extends Error {
  readonly code = 'CALLBACK_DATA_TOO_LONG';
  constructor(readonly data: string) {
    super(
      `callback data "${data}" is ${Buffer.byteLength(data)} bytes; Telegram allows ${CALLBACK_DATA_LIMIT}`,
    );
    this.name = 'CallbackDataTooLongError';
  }
}

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `token|choiceId`: the token lets the engine recognise a button from an earlier step. */
export function choiceData(token: string | undefined, choiceId: string): string {
  const data = `${token ?? ''}|${choiceId}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new CallbackDataTooLongError(data);
  return data;
}

/** Reads a choice button's callback data; null when it is not one (a page button, or forged). */
export function parseChoiceData(data: string): { choiceId: string; token?: string } | null {
  const bar = data.indexOf('|');
  if (bar < 0 || bar === data.length - 1) return null;
  const token = data.slice(0, bar);
  return { choiceId: data.slice(bar + 1), ...(token ? { token } : {}) };
}

/** Callback data of a page button (no `|`, so never mistaken for a choice). */
export const pageData = (page: number): string => `pg:${page}`;

/** The page a page button asks for, or null. */
export function parsePageData(data: string): number | null {
  const match = PAGE_DATA.exec(data);
  return match ? Number(match[1]) : null;
}

const isShort = (label: string) => [...label].length <= SHORT_LABEL;

/** One button per row, except that neighbouring short labels share a row. */
function rows(buttons: InlineKeyboardButton[]): InlineKeyboardButton[][] {
  const out: InlineKeyboardButton[][] = [];
  for (const button of buttons) {
    const last = out.at(-1);
    if (last?.length === 1 && isShort(last[0]?.text ?? '') && isShort(button.text)) last.push(button);
    else out.push([button]);
  }
  return out;
}

/** Back / menu buttons stay on every page; the other choices are paged. */
function splitPinned(choices: readonly Choice[]): { items: Choice[]; pinned: Choice[] } {
  const pinned = choices.filter((c) => c.id.startsWith(NAV_PREFIX));
  return { items: choices.filter((c) => !c.id.startsWith(NAV_PREFIX)), pinned };
}

/** How many keyboard pages these choices need. */
export function pageCount(choices: readonly Choice[]): number {
  return Math.max(1, Math.ceil(splitPinned(choices).items.length / PAGE_SIZE));
}

/** The inline keyboard for one page of choices (page 0 is the first; out-of-range pages are clamped). */
export function inlineKeyboard(
  choices: readonly Choice[],
  token: string | undefined,
  labels: RenderLabels,
  page = 0,
): InlineKeyboardMarkup {
  const { items, pinned } = splitPinned(choices);
  const pages = pageCount(choices);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const shown = [...items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE), ...pinned];
  const keyboard = rows(shown.map((c) => ({ text: c.label, callback_data: choiceData(token, c.id) })));
  const turn: InlineKeyboardButton[] = [];
  if (current > 0) turn.push({ text: labels.previous, callback_data: pageData(current - 1) });
  if (current < pages - 1) turn.push({ text: labels.next, callback_data: pageData(current + 1) });
  if (turn.length) keyboard.push(turn);
  return { inline_keyboard: keyboard };
}

/** A one-time reply keyboard: share-my-phone first, then any choices as plain buttons (typed labels match). */
function contactKeyboard(choices: readonly Choice[], labels: RenderLabels): ReplyKeyboardMarkup {
  return {
    keyboard: [
      [{ text: labels.sharePhone, request_contact: true }],
      ...choices.map((c) => [{ text: c.label }]),
    ],
    one_time_keyboard: true,
    resize_keyboard: true,
  };
}

/** Cuts `text` into parts whose escaped form fits `limit`, at line ends when possible, never inside a character. */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (escapeHtml(candidate).length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    for (const char of line) {
      if (escapeHtml(current + char).length > limit) flush();
      current += char;
    }
  }
  flush();
  return parts.length ? parts : [''];
}

function replyMarkup(
  message: OutboundMessage,
  labels: RenderLabels,
): { markup?: ReplyMarkup; paging?: Paging } {
  const choices = message.choices ?? [];
  if (message.requestContact) return { markup: contactKeyboard(choices, labels) };
  if (!choices.length) return {};
  const markup = inlineKeyboard(choices, message.choiceToken, labels);
  if (pageCount(choices) === 1) return { markup };
  return { markup, paging: { choices, ...(message.choiceToken ? { token: message.choiceToken } : {}) } };
}

function telegramFileId(photo: MediaRef): string | null {
  return photo.kind === 'channel' && photo.channel === 'telegram' ? photo.fileId : null;
}

/** A caption that fits (the first line when the whole text does not) and the rest for a text message. */
function captionAndRest(text: string): { caption: string; rest: string } {
  if (escapeHtml(text).length <= CAPTION_LIMIT) return { caption: text, rest: '' };
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  if (newline < 0 || escapeHtml(first).length > CAPTION_LIMIT) return { caption: '', rest: text };
  return { caption: first, rest: text.slice(newline + 1) };
}

/**
 * Turns one outbound message into Telegram calls: escaped HTML, long text split at line ends, the
 * keyboard (inline choices, or a share-phone reply keyboard) on the last call, photos by file id.
 */
export function renderMessage(message: OutboundMessage, labels: RenderLabels): RenderResult {
  const { markup, paging } = replyMarkup(message, labels);
  const fileId = message.photo ? telegramFileId(message.photo) : null;
  const unsentPhoto = message.photo && !fileId ? { unsentPhoto: message.photo } : {};
  const sends: TelegramSend[] = [];
  let text = message.text;
  if (fileId) {
    const { caption, rest } = captionAndRest(text);
    sends.push({
      method: 'sendPhoto',
      photo: fileId,
      other: { parse_mode: 'HTML', ...(caption ? { caption: escapeHtml(caption) } : {}) },
    });
    text = rest;
  }
  if (!fileId || text.trim() !== '') {
    for (const part of splitText(text, TEXT_LIMIT)) {
      sends.push({ method: 'sendMessage', text: escapeHtml(part), other: { parse_mode: 'HTML' } });
    }
  }
  const last = sends.at(-1);
  if (last && markup) {
    last.other.reply_markup = markup;
    if (paging) last.paging = paging;
  }
  return { sends, ...unsentPhoto };
}
