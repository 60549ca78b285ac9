import type { MediaRejection } from '../media/types.js';

/** The channels one engine serves. Stored as-is in `ContactChannel.channel` and `InboundEvent.channel`. */
export const CHANNELS = ['telegram', 'whatsapp-web', 'whatsapp-cloud', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A photo as the engine sees it: either a file already stored in the media store, or one a channel still holds. */
export type MediaRef =
  | { kind: 'stored'; mediaId: string }
  | { kind: 'channel'; channel: Channel; fileId: string; mime?: string };

export type InboundContent =
  | { kind: 'text'; text: string }
  /** A pressed button; `token` ties it to the conversation step that rendered it. */
  | { kind: 'choice'; choiceId: string; token?: string }
  | { kind: 'photo'; media: MediaRef; caption?: string }
  | { kind: 'contact'; phone: string }
  /** Something the bot cannot read or keep: the engine answers it politely, steps never see it. */
  | { kind: 'unsupported'; reason: UnsupportedReason };

/** A photo that was not kept, or a message of a kind the bot cannot read (voice note, sticker, video…). */
export type UnsupportedReason = MediaRejection | 'message_type';

/** One message from a person, translated by a channel adapter; no platform types leak past this. */
export interface InboundMessage {
  channel: Channel;
  externalUserId: string;
  externalMessageId: string;
  receivedAt: Date;
  profile?: { name?: string; phone?: string; languageCode?: string };
  content: InboundContent;
}

export interface Choice {
  id: string;
  label: string;
}

/** One message to a person, already localised; each adapter renders it within its channel's limits. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** Step token the engine put on the choices, echoed back by buttons so a stale one is recognised. */
  choiceToken?: string;
  photo?: MediaRef;
  /** Telegram: show a share-my-phone button. */
  requestContact?: boolean;
  /** Language of `text`, so an adapter labels its own buttons (next page, share phone) to match. */
  locale?: 'ar' | 'en';
}
