import type { Message, Update, User } from 'grammy/types';
import type { InboundContent, InboundMessage } from '../../core/message.js';
import { parseChoiceData } from './render.js';

/** Telegram sends its phone numbers without "+"; E.164 wants it. */
function withPlus(phone: string): string {
  const trimmed = phone.trim();
  return trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
}

function messageContent(message: Message, from: User): InboundContent | null {
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  if (message.photo?.length) {
    const largest = message.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return {
      kind: 'photo',
      media: { kind: 'channel', channel: 'telegram', fileId: largest.file_id },
      ...(message.caption !== undefined ? { caption: message.caption } : {}),
    };
  }
  // Only her own number counts: a forwarded contact card is someone else's.
  if (message.contact && message.contact.user_id === from.id) {
    return { kind: 'contact', phone: withPlus(message.contact.phone_number) };
  }
  return null;
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
 * button, a photo (largest size), or her own shared contact. Anything else (groups, channels,
 * edits, page buttons, stickers) returns null.
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
