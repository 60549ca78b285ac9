import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import { choiceData as sharedChoiceData } from '../../core/choice-data.js';
import type { Choice, MediaRef, OutboundMessage } from '../../core/message.js';
import { NAV_PREFIX } from '../../core/turn.js';
import { splitText as splitLines } from '../split-text.js';

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

/** A photo as Telegram sends it: by its file id, or a stored one (uploaded once, then by file id). */
export type TelegramPhoto = { fileId: string } | { mediaId: string };

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
      photo: TelegramPhoto;
      other: { parse_mode: 'HTML'; caption?: string; reply_markup?: ReplyMarkup };
      paging?: Paging;
    };

/** What one outbound message becomes on Telegram. */
export interface RenderResult {
  sends: TelegramSend[];
  /** Another channel's file, which Telegram cannot send (the router stores inbound photos): its text still is. */
  unsentPhoto?: MediaRef;
}

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `token|choiceId` within Telegram's 64 bytes: the token lets the engine recognise an old button. */
export const choiceData = (token: string | undefined, choiceId: string): string =>
  sharedChoiceData(token, choiceId, CALLBACK_DATA_LIMIT);

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

/** Every choice on one keyboard, without pages: for edited posts, whose pages the adapter does not track. */
export function fullKeyboard(choices: readonly Choice[], token: string | undefined): InlineKeyboardMarkup {
  return {
    inline_keyboard: rows(choices.map((c) => ({ text: c.label, callback_data: choiceData(token, c.id) }))),
  };
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
export const splitText = (text: string, limit: number): string[] =>
  splitLines(text, limit, (part) => escapeHtml(part).length);

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

function telegramPhoto(photo: MediaRef): TelegramPhoto | null {
  if (photo.kind === 'stored') return { mediaId: photo.mediaId };
  return photo.channel === 'telegram' ? { fileId: photo.fileId } : null;
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
 * keyboard (inline choices, or a share-phone reply keyboard) on the last call, the photo first.
 */
export function renderMessage(message: OutboundMessage, labels: RenderLabels): RenderResult {
  const { markup, paging } = replyMarkup(message, labels);
  const photo = message.photo ? telegramPhoto(message.photo) : null;
  const unsentPhoto = message.photo && !photo ? { unsentPhoto: message.photo } : {};
  const sends: TelegramSend[] = [];
  let text = message.text;
  if (photo) {
    const { caption, rest } = captionAndRest(text);
    sends.push({
      method: 'sendPhoto',
      photo,
      other: { parse_mode: 'HTML', ...(caption ? { caption: escapeHtml(caption) } : {}) },
    });
    text = rest;
  }
  if (!photo || text.trim() !== '') {
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
