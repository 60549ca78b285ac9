import { choiceData } from '../../core/choice-data.js';
import type { Choice, OutboundMessage } from '../../core/message.js';
import { splitText } from '../split-text.js';
import type { GraphMessage, Interactive, ListRow } from './types.js';

/**
 * WhatsApp's limits (Cloud API reference, in characters; we count UTF-16 units, never fewer than
 * characters, and button ids in UTF-8 bytes, never fewer either).
 */
export const TEXT_LIMIT = 4096;
export const INTERACTIVE_BODY_LIMIT = 1024;
export const CAPTION_LIMIT = 1024;
export const MAX_BUTTONS = 3;
export const BUTTON_TITLE_LIMIT = 20;
export const BUTTON_ID_LIMIT = 256;
export const MAX_ROWS = 10;
export const ROW_TITLE_LIMIT = 24;
export const ROW_DESCRIPTION_LIMIT = 72;
export const ROW_ID_LIMIT = 200;
export const LIST_BUTTON_LIMIT = 20;
/** Choices per list page when there are more than ten: nine and a "more" row. */
export const PAGE_SIZE = MAX_ROWS - 1;
const PAGE_ID = /^pg:(\d{1,3}):([^|]*)$/;
const ELLIPSIS = '…';

/** Words the renderer needs but does not own: the `whatsapp` locale namespace, through the caller. */
export interface RenderLabels {
  /** The button that opens a list. */
  listButton: string;
  /** The last row of a list page that has a next one. */
  more: string;
  /** The body of a later list page. */
  moreChoices: string;
  /** The body of the buttons or list after a text too long to carry them. */
  chooseBelow: string;
}

/** The choices behind a list with several pages, kept by the adapter to send the next page. */
export interface Paging {
  choices: Choice[];
  token?: string;
}

/** What one outbound message becomes on WhatsApp: messages to post in order, and the paging to remember. */
export interface RenderResult {
  parts: GraphMessage[];
  paging?: Paging;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest start of `text` within `limit` UTF-16 units, cut between characters as she sees them. */
function head(text: string, limit: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > limit) break;
    out += segment;
  }
  return out;
}

/** `text` if it fits, else its start (at a word end when there is one) and an ellipsis. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const start = head(text, limit - ELLIPSIS.length);
  const space = start.lastIndexOf(' ');
  return `${(space > 0 ? start.slice(0, space) : start).trimEnd()}${ELLIPSIS}`;
}

/** A row's title, and when the label is longer the rest of it as the row's description. */
function rowText(label: string): Pick<ListRow, 'title' | 'description'> {
  if (label.length <= ROW_TITLE_LIMIT) return { title: label };
  const title = clip(label, ROW_TITLE_LIMIT);
  const rest = label.slice(title.length - ELLIPSIS.length).trim();
  return { title, description: clip(rest, ROW_DESCRIPTION_LIMIT) };
}

/** Id of the "more" row that asks for `page` (no `|`, so never mistaken for a choice). */
export const pageId = (page: number, token: string | undefined): string => `pg:${page}:${token ?? ''}`;

/** The page a "more" row asks for and the step token it was rendered with, or null. */
export function parsePageId(id: string): { page: number; token?: string } | null {
  const match = PAGE_ID.exec(id);
  if (!match) return null;
  return { page: Number(match[1]), ...(match[2] ? { token: match[2] } : {}) };
}

/** How many list pages `count` choices need: ten fit on one; past that, nine a page and a "more" row. */
export function pageCount(count: number): number {
  return count <= MAX_ROWS ? 1 : Math.ceil((count - MAX_ROWS) / PAGE_SIZE) + 1;
}

function buttons(body: string, choices: readonly Choice[], token: string | undefined): Interactive {
  return {
    type: 'button',
    body: { text: body },
    action: {
      buttons: choices.map((c) => ({
        type: 'reply',
        reply: { id: choiceData(token, c.id, BUTTON_ID_LIMIT), title: c.label },
      })),
    },
  };
}

function list(
  body: string,
  choices: readonly Choice[],
  token: string | undefined,
  labels: RenderLabels,
  page: number,
): Interactive {
  const pages = pageCount(choices.length);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const last = current === pages - 1;
  const shown = choices.slice(current * PAGE_SIZE, last ? undefined : (current + 1) * PAGE_SIZE);
  const rows: ListRow[] = shown.map((c) => ({
    id: choiceData(token, c.id, ROW_ID_LIMIT),
    ...rowText(c.label),
  }));
  if (!last) rows.push({ id: pageId(current + 1, token), title: clip(labels.more, ROW_TITLE_LIMIT) });
  return {
    type: 'list',
    body: { text: body },
    action: { button: clip(labels.listButton, LIST_BUTTON_LIMIT), sections: [{ rows }] },
  };
}

/**
 * The interactive message for `choices`: up to three short labels as reply buttons, otherwise a list
 * (a long label's rest in the row's description), in pages of nine and a "more" row past ten.
 * `body` must already fit INTERACTIVE_BODY_LIMIT.
 */
export function choicesMessage(
  body: string,
  choices: readonly Choice[],
  token: string | undefined,
  labels: RenderLabels,
  page = 0,
): GraphMessage {
  const short = choices.every((c) => c.label.length <= BUTTON_TITLE_LIMIT);
  const interactive =
    choices.length <= MAX_BUTTONS && short
      ? buttons(body, choices, token)
      : list(body, choices, token, labels, page);
  return { type: 'interactive', interactive };
}

const textParts = (text: string): GraphMessage[] =>
  text.trim() === ''
    ? []
    : splitText(text, TEXT_LIMIT).map((body) => ({ type: 'text', text: { body, preview_url: false } }));

/**
 * Turns one outbound message into WhatsApp messages: the photo first (with the text as caption when
 * it fits and nothing is to be chosen), long text split at line ends, the choices last. A text too
 * long for an interactive body goes first on its own and the choices follow with a short prompt.
 */
export function renderMessage(
  message: OutboundMessage,
  labels: RenderLabels,
  imageId?: string,
): RenderResult {
  const choices = message.choices ?? [];
  let text = message.text;
  const parts: GraphMessage[] = [];
  if (imageId) {
    const caption = !choices.length && text.trim() !== '' && text.length <= CAPTION_LIMIT ? text : undefined;
    parts.push({ type: 'image', image: { id: imageId, ...(caption ? { caption } : {}) } });
    if (caption) text = '';
  }
  if (!choices.length) return { parts: [...parts, ...textParts(text)] };
  const fits = text.trim() !== '' && text.length <= INTERACTIVE_BODY_LIMIT;
  if (!fits) parts.push(...textParts(text));
  parts.push(choicesMessage(fits ? text : labels.chooseBelow, choices, message.choiceToken, labels));
  if (pageCount(choices.length) === 1) return { parts };
  return { parts, paging: { choices, ...(message.choiceToken ? { token: message.choiceToken } : {}) } };
}
