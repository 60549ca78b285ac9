import { refuseDeclaredOversize } from '../../media/download.js';
import { type ChannelMediaFetcher, MediaTooLargeError } from '../../media/types.js';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './client.js';

/** Raised when WhatsApp no longer has a message's file (deleted, expired, or the message is unknown). */
export class WhatsAppWebMediaUnavailableError extends Error {
  readonly code = 'WHATSAPP_WEB_MEDIA_UNAVAILABLE';
  constructor() {
    super('whatsapp web has no file for this message');
    this.name = 'WhatsAppWebMediaUnavailableError';
  }
}

/** How long a received message is kept at hand for its download (it is usually asked for at once). */
const KEEP_MS = 10 * 60_000;
const KEEP_MAX = 200;

/**
 * Downloads the photos people send: the file id is the message's serialized id. A message just
 * received is kept a few minutes in memory; an older one (a recovered inbound event) is looked up
 * again through the client. The library hands the whole file over as base64, so the limit is
 * checked on its stated size, then on the bytes.
 */
export function createWhatsAppWebMediaFetcher(client: () => WhatsAppWebClient | undefined) {
  const recent = new Map<string, { message: WhatsAppWebMessage; at: number }>();

  async function find(fileId: string): Promise<WhatsAppWebMessage | undefined> {
    const kept = recent.get(fileId);
    if (kept && Date.now() - kept.at < KEEP_MS) return kept.message;
    return (await client()?.getMessageById(fileId)) ?? undefined;
  }

  const fetcher: ChannelMediaFetcher = {
    async fetch(fileId, maxBytes) {
      const media = await (await find(fileId))?.downloadMedia();
      if (!media?.data) throw new WhatsAppWebMediaUnavailableError();
      refuseDeclaredOversize(media.filesize, maxBytes);
      const bytes = Buffer.from(media.data, 'base64');
      if (bytes.length > maxBytes) throw new MediaTooLargeError(bytes.length);
      return bytes;
    },
  };

  return {
    fetcher,
    /** Keeps a received message at hand for the download that follows. */
    remember(message: WhatsAppWebMessage): void {
      recent.set(message.id._serialized, { message, at: Date.now() });
      for (const [id, kept] of recent) {
        if (recent.size <= KEEP_MAX && Date.now() - kept.at < KEEP_MS) break;
        recent.delete(id);
      }
    },
  };
}
