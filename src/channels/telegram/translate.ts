import type { Message, Update, User } from 'grammy/types';
import { parseChoiceData } from '../../core/choice-data.js';
import type { InboundContent, InboundMessage } from '../../core/message.js';
import { largestPhoto } from './media.js';

/** Telegram sends its phone numbers without "+"; E.164 wants it. */
function withPlus(phone: string): string {
  const trimmed = phone.trim();
  return trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
}

/** Messages the bot cannot read: she is told so instead of hearing nothing. */
const UNREADABLE = [
  'voice',
  'audio',
  'video',
  'video_note',
  'animation',
  'sticker',
  'location',
  'venue',
  'poll',
  'dice',
  'game',
  'story',
  'paid_media',
] as const satisfies readonly (keyof Message)[];

function photoContent(message: Message, fileId: string, mime?: string): InboundContent {
  return {
    kind: 'photo',
    media: { kind: 'channel', channel: 'telegram', fileId, ...(mime ? { mime } : {}) },
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
  };
}

const unreadable = (message: Message) => UNREADABLE.some((field) => message[field] !== undefined);

/**
 * The photo a message carries, still on Telegram: its largest size, or a file sent as a document
 * (photos are often sent "as a file"; whatever the file is, its bytes decide whether it is kept).
 * A GIF is not one: Telegram puts its file in `document` too.
 */
export function photoOf(message: Message): InboundContent | null {
  if (message.photo?.length) return photoContent(message, largestPhoto(message.photo).file_id);
  if (message.document && !unreadable(message))
    return photoContent(message, message.document.file_id, message.document.mime_type);
  return null;
}

function messageContent(message: Message, from: User): InboundContent | null {
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  // Only her own number counts: a forwarded contact card is someone else's.
  if (message.contact && message.contact.user_id === from.id) {
    return { kind: 'contact', phone: withPlus(message.contact.phone_number) };
  }
  return unreadable(message) ? { kind: 'unsupported', reason: 'message_type' } : photoOf(message);
}

function profileOf(from: User): NonNullable<InboundMessage['profile']> {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return {
    ...(name ? { name } : {}),
    ...(from.language_code ? { languageCode: from.language_code } : {}),
  };
}

/**
 * Translates a Telegram update from a private chat into an InboundMessage: text, a pressed choice
 * button, a photo (largest size, or a file sent as a document), her own shared contact, or
 * `unsupported` for what the bot cannot read (voice, sticker, video, location…). Anything else
 * (groups, channels, edits, page buttons, service messages) returns null.
 */
export function translateUpdate(update: Update, receivedAt: Date = new Date()): InboundMessage | null {
  const base = (from: User) => ({
    channel: 'telegram' as const,
    externalUserId: String(from.id),
    externalMessageId: `u${update.update_id}`,
    receivedAt,
    profile: profileOf(from),
  });
  const message = update.message;
  if (message) {
    if (message.chat.type !== 'private' || !message.from || message.from.is_bot) return null;
    const content = messageContent(message, message.from);
    return content ? { ...base(message.from), content } : null;
  }
  const query = update.callback_query;
  if (query?.data !== undefined && query.message?.chat.type === 'private') {
    const choice = parseChoiceData(query.data);
    return choice ? { ...base(query.from), content: { kind: 'choice', ...choice } } : null;
  }
  return null;
}
