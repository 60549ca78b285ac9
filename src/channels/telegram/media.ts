import { access } from 'node:fs/promises';
import { type Api, GrammyError, InputFile } from 'grammy';
import type { Message, PhotoSize } from 'grammy/types';
import type { Logger } from 'pino';
import { downloadLimited, refuseDeclaredOversize } from '../../media/download.js';
import type { ChannelMediaFetcher, MediaStore, StoredMedia } from '../../media/types.js';
import { describeError } from './polling.js';

/** Raised when Telegram knows no path for a file (it is gone, or too large for bots to download). */
export class TelegramFileUnavailableError extends Error {
  readonly code = 'TELEGRAM_FILE_UNAVAILABLE';
  constructor() {
    super('telegram gave no path for the file');
    this.name = 'TelegramFileUnavailableError';
  }
}

/**
 * Downloads a file a Telegram user sent: `getFile` tells its size (a file over the limit is refused
 * without downloading) and path, then the bytes come from `<apiRoot>/file/bot<token>/<path>`, where
 * Telegram serves files, read no further than the limit.
 */
export function createTelegramMediaFetcher(
  api: Api,
  config: { token: string; apiRoot: string },
): ChannelMediaFetcher {
  return {
    async fetch(fileId, maxBytes) {
      const file = await api.getFile(fileId);
      refuseDeclaredOversize(file.file_size, maxBytes);
      if (!file.file_path) throw new TelegramFileUnavailableError();
      return downloadLimited(`${config.apiRoot}/file/bot${config.token}/${file.file_path}`, maxBytes);
    },
  };
}

/** Telegram no longer accepts a file id we cached (the bot's token changed, the file expired). */
const isStaleFileId = (err: unknown) =>
  err instanceof GrammyError &&
  err.error_code === 400 &&
  /file identifier|file_reference/i.test(err.description);

/** The largest of the sizes Telegram makes of a photo: the one to keep, and to send it by again. */
export const largestPhoto = (sizes: PhotoSize[]): PhotoSize =>
  sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));

type PhotoOptions = Parameters<Api['sendPhoto']>[2];

/**
 * Sends stored photos (DESIGN §10): by the file id Telegram gave at the first upload, else uploaded
 * from DATA_DIR/media and its new file id remembered; a cached id Telegram refuses is replaced by one
 * new upload.
 */
export function createStoredPhotoSender(api: Api, store: MediaStore, logger: Logger) {
  /** Uploads on the wire, by photo: sends of the same photo meanwhile wait for its file id. */
  const uploading = new Map<string, Promise<unknown>>();

  async function upload(chatId: number, mediaId: string, path: string, other: PhotoOptions) {
    const sent = await api.sendPhoto(chatId, new InputFile(path), other);
    // The photo is out: failing here would make the outbox send it again. The next send uploads anew.
    await store
      .rememberChannelFileId(mediaId, 'telegram', largestPhoto(sent.photo).file_id)
      .catch((err) => logger.warn({ err, mediaId }, 'remembering a telegram file id failed'));
    return sent;
  }

  /** Whether the photo can go: Telegram has it already, or its file is still on disk to upload. */
  async function canSend(media: StoredMedia): Promise<boolean> {
    if (await store.channelFileId(media.id, 'telegram')) return true;
    return access(media.path).then(
      () => true,
      () => false,
    );
  }

  async function byIdOrUpload(
    chatId: number,
    media: { id: string; path: string },
    other: PhotoOptions,
  ): Promise<Message.PhotoMessage> {
    const cached = await store.channelFileId(media.id, 'telegram');
    if (!cached) return upload(chatId, media.id, media.path, other);
    try {
      return await api.sendPhoto(chatId, cached, other);
    } catch (err) {
      if (!isStaleFileId(err)) throw err;
      logger.warn(
        { mediaId: media.id, ...describeError(err) },
        'a cached telegram file id was refused; uploading',
      );
      return upload(chatId, media.id, media.path, other);
    }
  }

  /**
   * Sends by the file id, uploading when there is none. While a photo is being uploaded, other sends
   * of it (a broadcast's, in parallel) wait for that upload and then go by its file id, so it is
   * uploaded once; after that they go in parallel.
   */
  async function sendStoredPhoto(
    chatId: number,
    media: { id: string; path: string },
    other: PhotoOptions,
  ): Promise<Message.PhotoMessage> {
    for (;;) {
      await uploading.get(media.id)?.catch(() => undefined);
      if (await store.channelFileId(media.id, 'telegram')) return byIdOrUpload(chatId, media, other);
      // Another send may have started the upload while this one looked: wait for it instead.
      if (uploading.has(media.id)) continue;
      const upload = byIdOrUpload(chatId, media, other);
      uploading.set(media.id, upload);
      try {
        return await upload;
      } finally {
        if (uploading.get(media.id) === upload) uploading.delete(media.id);
      }
    }
  }

  return { send: sendStoredPhoto, canSend };
}
