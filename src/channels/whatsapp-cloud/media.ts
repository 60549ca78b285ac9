import { readFile } from 'node:fs/promises';
import type { MediaRef } from '../../core/message.js';
import { refuseDeclaredOversize } from '../../media/download.js';
import type { ChannelMediaFetcher, MediaStore } from '../../media/types.js';
import { type GraphClient, GraphError } from './client.js';

/** How long a media id checked with Graph is trusted before it is checked again (ids expire). */
const RECHECK_MS = 3_600_000;

/**
 * Downloads a photo a person sent: `GET /{media-id}` gives its URL and size, then the URL is read
 * with the token. A declared size over the limit is refused before anything is downloaded.
 */
export function createGraphMediaFetcher(
  client: Pick<GraphClient, 'mediaInfo' | 'download'>,
): ChannelMediaFetcher {
  return {
    async fetch(fileId, maxBytes) {
      const info = await client.mediaInfo(fileId);
      refuseDeclaredOversize(info.file_size, maxBytes);
      return client.download(info.url, maxBytes);
    },
  };
}

/**
 * Turns a photo reference into a WhatsApp media id: one of ours is uploaded once and its id kept in
 * the media store. Uploaded ids expire after 30 days (received ones after 7), so a kept id is checked
 * with Graph before this process first uses it, and hourly after that; a gone one is uploaded again.
 * Resolves null for what cannot be sent here (another channel's file, no store, a missing file).
 */
export function createImageUploader(
  client: Pick<GraphClient, 'mediaInfo' | 'uploadMedia'>,
  store: MediaStore | undefined,
  clock: () => Date,
) {
  const checked = new Map<string, number>();
  const uploading = new Map<string, Promise<string | null>>();

  async function stillThere(id: string): Promise<boolean> {
    const now = clock().getTime();
    if (now - (checked.get(id) ?? Number.NEGATIVE_INFINITY) < RECHECK_MS) return true;
    try {
      await client.mediaInfo(id);
    } catch (err) {
      if (err instanceof GraphError && err.status >= 400 && err.status < 500) return false;
      throw err;
    }
    checked.set(id, now);
    return true;
  }

  async function upload(media: MediaStore, mediaId: string): Promise<string | null> {
    const kept = await media.channelFileId(mediaId, 'whatsapp-cloud');
    if (kept && (await stillThere(kept))) return kept;
    const file = await media.get(mediaId);
    if (!file) return null;
    const id = await client.uploadMedia(await readFile(file.path), file.mime);
    await media.rememberChannelFileId(mediaId, 'whatsapp-cloud', id);
    checked.set(id, clock().getTime());
    return id;
  }

  return async function imageId(ref: MediaRef): Promise<string | null> {
    if (ref.kind === 'channel') return ref.channel === 'whatsapp-cloud' ? ref.fileId : null;
    if (!store) return null;
    // One upload at a time per photo: a broadcast's rows would otherwise each upload it.
    const pending = uploading.get(ref.mediaId) ?? upload(store, ref.mediaId);
    uploading.set(ref.mediaId, pending);
    try {
      return await pending;
    } finally {
      uploading.delete(ref.mediaId);
    }
  };
}
