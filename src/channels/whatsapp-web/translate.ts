import type { InboundContent, InboundMessage } from '../../core/message.js';
import { parsePhone } from '../../i18n/parse.js';
import type { WhatsAppWebMessage } from './client.js';

/** A person's chat: `<digits>@c.us` (the id carries her number) or `<id>@lid` (a privacy id, no number). */
const PERSON = /^(\d+)@c\.us$|^[^@]+@lid$/;

/** Message types the bot cannot read: she is told so instead of hearing nothing. */
const UNREADABLE = new Set([
  'audio',
  'ptt',
  'video',
  'sticker',
  'location',
  'vcard',
  'multi_vcard',
  'poll_creation',
  'scheduled_event_creation',
  'order',
  'product',
  'payment',
  'groups_v4_invite',
]);

function contentOf(message: WhatsAppWebMessage): InboundContent | null {
  if (message.type === 'chat') return message.body === '' ? null : { kind: 'text', text: message.body };
  // Photos are often sent "as a document"; whatever the file is, its bytes decide whether it is kept.
  if (message.type === 'image' || message.type === 'document') {
    return {
      kind: 'photo',
      media: { kind: 'channel', channel: 'whatsapp-web', fileId: message.id._serialized },
      ...(message.body !== '' ? { caption: message.body } : {}),
    };
  }
  return UNREADABLE.has(message.type) ? { kind: 'unsupported', reason: 'message_type' } : null;
}

/** Her number in E.164 when the chat id carries it (`…@c.us`); never for `…@lid`. */
export function phoneOf(chatId: string): string | undefined {
  const digits = PERSON.exec(chatId)?.[1];
  const parsed = digits ? parsePhone(`+${digits}`) : undefined;
  return parsed?.ok ? parsed.value : undefined;
}

/**
 * Translates a message from a person's chat into an InboundMessage keyed by the chat id WhatsApp
 * gives (never rewritten): text, a photo (or an image sent as a document), or `unsupported` for what
 * the bot cannot read. Groups, status updates, channels, our own messages and notifications: null.
 */
export function translateMessage(message: WhatsAppWebMessage, receivedAt: Date): InboundMessage | null {
  if (message.fromMe || message.isStatus || message.broadcast || !PERSON.test(message.from)) return null;
  const content = contentOf(message);
  if (!content) return null;
  const phone = phoneOf(message.from);
  return {
    channel: 'whatsapp-web',
    externalUserId: message.from,
    externalMessageId: message.id._serialized,
    receivedAt,
    profile: phone ? { phone } : {},
    content,
  };
}
