import type { MessageMedia } from 'whatsapp-web.js';

/** An attachment as whatsapp-web.js gives it: base64 bytes and, when WhatsApp said, their size. */
export interface WhatsAppWebMedia {
  mimetype: string;
  data: string;
  filesize?: number | null;
}

/** The parts of a whatsapp-web.js `Message` the adapter reads; tests play the user with look-alikes. */
export interface WhatsAppWebMessage {
  id: { _serialized: string };
  /** The chat: `…@c.us` or `…@lid` for a person, `…@g.us` for a group, `status@broadcast`, `…@newsletter`. */
  from: string;
  fromMe: boolean;
  /** whatsapp-web.js `MessageTypes`: 'chat', 'image', 'document', 'ptt', 'sticker', 'location'… */
  type: string;
  body: string;
  isStatus: boolean;
  broadcast: boolean;
  getContact(): Promise<{ pushname?: string }>;
  /** Undefined when WhatsApp no longer has the file (at runtime, whatever the library's types say). */
  downloadMedia(): Promise<WhatsAppWebMedia | undefined>;
}

/** The events of a whatsapp-web.js `Client` the adapter listens to, with their arguments. */
export interface WhatsAppWebEvents {
  qr: [qr: string];
  authenticated: [];
  ready: [];
  auth_failure: [message: string];
  disconnected: [reason: string];
  message: [message: WhatsAppWebMessage];
}

/**
 * The slice of whatsapp-web.js's `Client` the adapter uses. The real client satisfies it (see
 * client-factory.ts, which compiles against the library's types); tests inject an EventEmitter fake.
 */
export interface WhatsAppWebClient {
  on<E extends keyof WhatsAppWebEvents>(event: E, listener: (...args: WhatsAppWebEvents[E]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(
    chatId: string,
    content: string | MessageMedia,
    options?: { caption?: string },
  ): Promise<{ id: { _serialized: string } }>;
  getMessageById(messageId: string): Promise<WhatsAppWebMessage | null | undefined>;
  /** The phone chat (`<digits>@c.us`) behind privacy ids (`…@lid`); `pn` is missing when WhatsApp keeps it. */
  getContactLidAndPhone(userIds: string[]): Promise<{ lid?: string; pn?: string }[]>;
  /** The puppeteer browser: its process is what the memory watchdog measures; it says when it dies. */
  pupBrowser?: {
    process(): { pid?: number } | null;
    on(event: 'disconnected', listener: () => void): unknown;
  } | null;
  /** WhatsApp Web's tab: it says when it crashes or closes. */
  pupPage?: { on(event: 'error' | 'close', listener: (err?: unknown) => void): unknown } | null;
}

/** How the adapter makes clients and attachments: the library in production, a fake in tests. */
export interface WhatsAppWebRuntime {
  /** A new client on the same LocalAuth session: a restart or a reconnect needs no new QR. */
  createClient(): WhatsAppWebClient;
  /** An attachment to send (whatsapp-web.js only sends its own `MessageMedia` instances). */
  createMedia(mimetype: string, base64: string): MessageMedia;
}
