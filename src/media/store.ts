import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Channel } from '../core/message.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import { MEDIA_MAX_BYTES, MEDIA_TYPES, type MediaStore, type MediaType, type StoredMedia } from './types.js';

export interface MediaStoreOptions {
  /** DATA_DIR/media: files live under `<first 2 hex of sha256>/<sha256>.<ext>`. */
  dir: string;
  /** The process's client, not a conversation's transaction: a photo is kept even if the turn fails. */
  prisma: Db;
}

type MediaRow = { id: string; sha256: string; mime: string; size: number; path: string };

const isMediaType = (mime: string): mime is MediaType => (MEDIA_TYPES as readonly string[]).includes(mime);

/** Writes `bytes` to `file` unless it is there: through a temporary name, so a reader never sees half a file. */
async function writeOnce(file: string, bytes: Buffer): Promise<void> {
  if (
    await fs.stat(file).then(
      (s) => s.size === bytes.length,
      () => false,
    )
  )
    return;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, file);
  } catch (err) {
    await fs.rm(temporary, { force: true });
    throw err;
  }
}

/**
 * The content-addressed media store (DESIGN §10). A file is kept only when its bytes say JPEG, PNG or
 * WebP and it is at most 5 MB; the same bytes are written and recorded once. Rows hold the path
 * relative to `dir`, so DATA_DIR can move.
 */
export function createMediaStore(options: MediaStoreOptions): MediaStore {
  const { dir, prisma } = options;
  const toStored = (row: MediaRow): StoredMedia => ({
    id: row.id,
    sha256: row.sha256,
    mime: row.mime,
    size: row.size,
    path: path.join(dir, row.path),
  });

  async function record(data: Omit<MediaRow, 'id'>): Promise<MediaRow> {
    const where = { sha256: data.sha256 };
    try {
      return await prisma.media.upsert({ where, create: data, update: {} });
    } catch (err) {
      // Two puts of the same bytes at once: the other one created the row.
      if (!isUniqueViolation(err)) throw err;
      return prisma.media.findUniqueOrThrow({ where });
    }
  }

  return {
    async put(bytes) {
      if (bytes.length > MEDIA_MAX_BYTES) return { ok: false, error: 'photo_size' };
      const type = await fileTypeFromBuffer(bytes);
      if (!type || !isMediaType(type.mime)) return { ok: false, error: 'photo_type' };
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const relative = path.join(sha256.slice(0, 2), `${sha256}.${type.ext}`);
      await writeOnce(path.join(dir, relative), bytes);
      const row = await record({ sha256, mime: type.mime, size: bytes.length, path: relative });
      return { ok: true, media: toStored(row) };
    },

    async get(mediaId) {
      const row = await prisma.media.findUnique({ where: { id: mediaId } });
      return row ? toStored(row) : null;
    },

    async channelFileId(mediaId: string, channel: Channel) {
      const row = await prisma.mediaChannelFile.findUnique({
        where: { mediaId_channel: { mediaId, channel } },
      });
      return row?.fileId ?? null;
    },

    async rememberChannelFileId(mediaId: string, channel: Channel, fileId: string) {
      const where = { mediaId_channel: { mediaId, channel } };
      try {
        await prisma.mediaChannelFile.upsert({
          where,
          create: { mediaId, channel, fileId },
          update: { fileId },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        await prisma.mediaChannelFile.update({ where, data: { fileId } });
      }
    },
  };
}
