import type { Channel } from '../core/message.js';

/** Photos Taawun keeps (DESIGN §10): checked by their bytes, never by a name or a declared type. */
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MEDIA_MAX_BYTES = 5 * 1024 * 1024;

/** Why a photo was not kept; the user is told in her language (`engine:unsupported.*`). */
export type MediaRejection = 'photo_type' | 'photo_size' | 'photo_unavailable';

/** A stored file, as the `Media` row describes it. */
export interface StoredMedia {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  /** Absolute path of the file under DATA_DIR/media. */
  path: string;
}

/** How a channel adapter downloads a file the channel holds (Telegram getFile, WhatsApp's media endpoint). */
export interface ChannelMediaFetcher {
  /**
   * The file's bytes. Throws `MediaTooLargeError` without downloading when the channel says the file
   * is larger than `maxBytes`, and stops reading once more than `maxBytes` arrived.
   */
  fetch(fileId: string, maxBytes: number): Promise<Buffer>;
}

/** Raised by a fetcher for a file over the limit. */
export class MediaTooLargeError extends Error {
  constructor(readonly size: number | undefined) {
    super(`file is larger than ${MEDIA_MAX_BYTES} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

/**
 * The content-addressed store under DATA_DIR/media and each channel's cached file id, so a photo is
 * uploaded to a channel once (DESIGN §10).
 */
export interface MediaStore {
  /** Checks the bytes (type, size), writes the file once per sha256 and returns its row. */
  put(
    bytes: Buffer,
  ): Promise<{ ok: true; media: StoredMedia } | { ok: false; error: 'photo_type' | 'photo_size' }>;
  get(mediaId: string): Promise<StoredMedia | null>;
  /** The id a channel gave this file when it was first uploaded there, if it was. */
  channelFileId(mediaId: string, channel: Channel): Promise<string | null>;
  rememberChannelFileId(mediaId: string, channel: Channel, fileId: string): Promise<void>;
}
