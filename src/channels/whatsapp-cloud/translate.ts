import { parseChoiceData } from '../../core/choice-data.js';
import type { InboundContent, InboundMessage } from '../../core/message.js';
import { parsePhone } from '../../i18n/parse.js';
import { MEDIA_TYPES } from '../../media/types.js';
import { describeGraphError } from './client.js';
import { parsePageId } from './render.js';
import type { GraphErrorBody, WebhookMessage, WebhookPayload, WebhookStatus, WebhookValue } from './types.js';

/** What the provider reported about a message we sent (WhatsApp's statuses). */
export interface DeliveryReport {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** For `failed`: WhatsApp's code and reason, and the code alone (what is done about it depends on it). */
  error?: string;
  errorCode?: number;
}

/** One thing a webhook call tells us: a message for the engine, a list page asked for, or a status. */
export type WebhookEvent =
  | { kind: 'message'; message: InboundMessage }
  /** `messageId`: the press's own wamid, so a redelivered press turns no second page. */
  | { kind: 'page'; waId: string; messageId: string; page: number; token?: string }
  | { kind: 'status'; report: DeliveryReport };

const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);
/** Types that are not a person's message to answer (a reaction, a number change, a chat opened). */
const IGNORED_TYPES = new Set(['reaction', 'system', 'request_welcome']);

/** A field that should be an array; anything else in a payload counts as empty. */
const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

const isPhotoType = (mime: string | undefined) => (MEDIA_TYPES as readonly string[]).includes(mime ?? '');

type Content = InboundContent | { kind: 'page'; page: number; token?: string } | null;

/** A pressed reply button or list row: a choice, a "more" row, or (forged or foreign) nothing. */
function pressed(id: string | undefined): Content {
  if (!id) return null;
  const page = parsePageId(id);
  if (page) return { kind: 'page', ...page };
  const choice = parseChoiceData(id);
  return choice ? { kind: 'choice', ...choice } : null;
}

function photo(media: { id?: string; caption?: string } | undefined): Content {
  if (!media?.id) return null;
  return {
    kind: 'photo',
    media: { kind: 'channel', channel: 'whatsapp-cloud', fileId: media.id },
    ...(media.caption ? { caption: media.caption } : {}),
  };
}

function contentOf(message: WebhookMessage): Content {
  switch (message.type) {
    case 'text':
      return message.text?.body !== undefined ? { kind: 'text', text: message.text.body } : null;
    case 'interactive':
      return pressed(message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id);
    case 'button':
      // A template's quick-reply button: its words are what she means.
      return message.button?.text ? { kind: 'text', text: message.button.text } : null;
    case 'image':
      return photo(message.image);
    case 'document':
      return isPhotoType(message.document?.mime_type)
        ? photo(message.document)
        : { kind: 'unsupported', reason: 'message_type' };
    default:
      // Voice notes, stickers, videos, locations, contact cards…: the engine says what it can read.
      return { kind: 'unsupported', reason: 'message_type' };
  }
}

/** Her profile as WhatsApp tells it: the name she chose and, from her wa_id, her number in E.164. */
function profileOf(value: WebhookValue, waId: string): NonNullable<InboundMessage['profile']> {
  const name = list(value.contacts)
    .find((c) => c?.wa_id === waId)
    ?.profile?.name?.trim();
  const phone = parsePhone(`+${waId}`);
  return { ...(name ? { name } : {}), ...(phone.ok ? { phone: phone.value } : {}) };
}

/**
 * When WhatsApp says it was sent (`timestamp`, in seconds), never later than `now`: a message
 * delivered late still opened her 24-hour window when she wrote it, not when it reached us.
 */
function sentAt(timestamp: string | undefined, now: Date): Date {
  const seconds = Number(timestamp);
  if (!timestamp || !Number.isFinite(seconds)) return now;
  return new Date(Math.min(seconds * 1000, now.getTime()));
}

function messageEvent(value: WebhookValue, message: WebhookMessage, now: Date): WebhookEvent | null {
  const { from, id } = message;
  if (!from || !id || IGNORED_TYPES.has(message.type ?? '')) return null;
  const content = contentOf(message);
  if (!content) return null;
  if (content.kind === 'page') {
    const { page, token } = content;
    return { kind: 'page', waId: from, messageId: id, page, ...(token ? { token } : {}) };
  }
  return {
    kind: 'message',
    message: {
      channel: 'whatsapp-cloud',
      // The id WhatsApp gives, kept as it is: it is her address on this channel.
      externalUserId: from,
      externalMessageId: id,
      receivedAt: sentAt(message.timestamp, now),
      profile: profileOf(value, from),
      content,
    },
  };
}

function failure(error: GraphErrorBody | undefined): Pick<DeliveryReport, 'error' | 'errorCode'> {
  const code = Number(error?.code);
  return { error: describeGraphError(error), ...(Number.isInteger(code) ? { errorCode: code } : {}) };
}

function statusEvent(status: WebhookStatus, receivedAt: Date): WebhookEvent | null {
  if (!status.id || !STATUSES.has(status.status ?? '')) return null;
  const seconds = Number(status.timestamp);
  return {
    kind: 'status',
    report: {
      providerMessageId: status.id,
      status: status.status as DeliveryReport['status'],
      at: Number.isFinite(seconds) ? new Date(seconds * 1000) : receivedAt,
      ...(status.status === 'failed' ? failure(status.errors?.[0]) : {}),
    },
  };
}

/**
 * Translates a (signature-checked) webhook payload into events, keeping only changes for our phone
 * number: text, pressed buttons and list rows, photos (as the channel's media id), and statuses.
 * Anything else (reactions, other numbers' messages, unknown shapes) yields nothing. Times are
 * WhatsApp's `timestamp`s; `receivedAt` (our clock) stands in where one is missing.
 */
export function translateWebhook(payload: unknown, phoneNumberId: string, receivedAt: Date): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const entry of list((payload as WebhookPayload | null)?.entry)) {
    for (const change of list(entry?.changes)) {
      const value = change?.value;
      if (change?.field !== 'messages' || value?.metadata?.phone_number_id !== phoneNumberId) continue;
      for (const message of list(value.messages)) {
        const event = messageEvent(value, message, receivedAt);
        if (event) events.push(event);
      }
      for (const status of list(value.statuses)) {
        const event = statusEvent(status, receivedAt);
        if (event) events.push(event);
      }
    }
  }
  return events;
}
