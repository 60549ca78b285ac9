import type { Logger } from 'pino';
import type { Channel, InboundContent } from '../core/message.js';
import { type ChannelMediaFetcher, MEDIA_MAX_BYTES, type MediaStore, MediaTooLargeError } from './types.js';

/**
 * Turns a photo a channel still holds into a stored one before the engine sees it (DESIGN §10), so
 * flows only ever get `{ kind: 'stored' }` photos; a photo that cannot be kept becomes `unsupported`
 * content, which the engine answers itself. Idempotent: the store is content-addressed, so handling a
 * recovered inbound event again stores nothing twice.
 */
export interface InboundMediaResolver {
  /** How `channel`'s files are downloaded; each channel adapter that receives photos registers one. */
  register(channel: Channel, fetcher: ChannelMediaFetcher): void;
  resolve(content: InboundContent): Promise<InboundContent>;
}

export function createInboundMediaResolver(deps: {
  store: MediaStore;
  logger: Logger;
}): InboundMediaResolver {
  const fetchers = new Map<Channel, ChannelMediaFetcher>();
  const logger = deps.logger.child({ component: 'media' });

  async function download(fetcher: ChannelMediaFetcher, channel: Channel, fileId: string) {
    try {
      return { ok: true as const, bytes: await fetcher.fetch(fileId, MEDIA_MAX_BYTES) };
    } catch (err) {
      if (err instanceof MediaTooLargeError) return { ok: false as const, reason: 'photo_size' as const };
      logger.warn({ err, channel }, 'a photo could not be downloaded');
      return { ok: false as const, reason: 'photo_unavailable' as const };
    }
  }

  return {
    register(channel, fetcher) {
      fetchers.set(channel, fetcher);
    },

    async resolve(content) {
      if (content.kind !== 'photo' || content.media.kind !== 'channel') return content;
      const { channel, fileId } = content.media;
      const fetcher = fetchers.get(channel);
      if (!fetcher) {
        logger.warn({ channel }, 'no media fetcher for this channel; the photo is refused');
        return { kind: 'unsupported', reason: 'photo_unavailable' };
      }
      const downloaded = await download(fetcher, channel, fileId);
      if (!downloaded.ok) return { kind: 'unsupported', reason: downloaded.reason };
      const stored = await deps.store.put(downloaded.bytes);
      if (!stored.ok) return { kind: 'unsupported', reason: stored.error };
      const { caption } = content;
      return {
        kind: 'photo',
        media: { kind: 'stored', mediaId: stored.media.id },
        ...(caption !== undefined ? { caption } : {}),
      };
    },
  };
}
