import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLimited } from '../../src/media/download.js';
import { createMediaStore } from '../../src/media/store.js';
import { MEDIA_MAX_BYTES, type MediaStore, MediaTooLargeError } from '../../src/media/types.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { largeJpeg, PDF, PHOTOS } from '../support/photos.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the media store', () => {
  let testDb: TestDatabase;
  let store: MediaStore;
  let dir: string;
  beforeEach(async () => {
    testDb = await createTestDatabase();
    dir = path.join(testDb.dataDir, 'media');
    store = createMediaStore({ dir, prisma: testDb.db.prisma });
  });
  afterEach(() => testDb.cleanup());

  it.each([
    ['JPEG', PHOTOS.jpeg, 'image/jpeg', 'jpg'],
    ['PNG', PHOTOS.png, 'image/png', 'png'],
    ['WebP', PHOTOS.webp, 'image/webp', 'webp'],
  ])('keeps a %s photo by its bytes, under media/<2 hex>/<sha256>.<ext>', async (_name, bytes, mime, ext) => {
    const result = await store.put(bytes);
    if (!result.ok) throw new Error(`refused: ${result.error}`);
    const hash = sha256(bytes);
    expect(result.media).toMatchObject({ sha256: hash, mime, size: bytes.length });
    expect(result.media.path).toBe(path.join(dir, hash.slice(0, 2), `${hash}.${ext}`));
    expect(readFileSync(result.media.path).equals(bytes)).toBe(true);
    expect(await store.get(result.media.id)).toEqual(result.media);
    const row = await testDb.db.prisma.media.findUniqueOrThrow({ where: { id: result.media.id } });
    expect(row.path).toBe(path.join(hash.slice(0, 2), `${hash}.${ext}`));
  });

  it.each([
    ['a PDF', PDF],
    ['text renamed .jpg', Buffer.from('this is not a photo, whatever its name says')],
    ['a GIF', Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')],
  ])('refuses %s by its bytes, keeping nothing', async (_name, bytes) => {
    expect(await store.put(bytes)).toEqual({ ok: false, error: 'photo_type' });
    expect(await testDb.db.prisma.media.count()).toBe(0);
  });

  it('refuses a photo over 5 MB and accepts one of exactly 5 MB', async () => {
    expect(await store.put(largeJpeg(MEDIA_MAX_BYTES + 1))).toEqual({ ok: false, error: 'photo_size' });
    const exact = await store.put(largeJpeg(MEDIA_MAX_BYTES));
    expect(exact.ok && exact.media.size).toBe(MEDIA_MAX_BYTES);
  });

  it('keeps the same bytes once, even when they arrive twice at the same moment', async () => {
    const [a, b, c] = await Promise.all([
      store.put(PHOTOS.png),
      store.put(PHOTOS.png),
      store.put(PHOTOS.png),
    ]);
    const ids = [a, b, c].map((r) => (r.ok ? r.media.id : r.error));
    expect(new Set(ids).size).toBe(1);
    expect(await testDb.db.prisma.media.count()).toBe(1);
    const hash = sha256(PHOTOS.png);
    // No temporary file is left beside the one kept.
    expect(readdirSync(path.join(dir, hash.slice(0, 2)))).toEqual([`${hash}.png`]);
  });

  it('writes a file again when it went missing from the disk', async () => {
    const first = await store.put(PHOTOS.jpeg);
    if (!first.ok) throw new Error('refused');
    rmSync(first.media.path);
    const again = await store.put(PHOTOS.jpeg);
    expect(again.ok && again.media.id).toBe(first.media.id);
    expect(statSync(first.media.path).size).toBe(PHOTOS.jpeg.length);
  });

  it("remembers each channel's file id, and a newer one replaces it", async () => {
    const put = await store.put(PHOTOS.webp);
    if (!put.ok) throw new Error('refused');
    const { id } = put.media;
    expect(await store.channelFileId(id, 'telegram')).toBeNull();
    await store.rememberChannelFileId(id, 'telegram', 'tg-1');
    await store.rememberChannelFileId(id, 'whatsapp-cloud', 'wa-1');
    await store.rememberChannelFileId(id, 'telegram', 'tg-2');
    expect(await store.channelFileId(id, 'telegram')).toBe('tg-2');
    expect(await store.channelFileId(id, 'whatsapp-cloud')).toBe('wa-1');
    expect(await store.get('no-such-media-id')).toBeNull();
  });
});

describe('reading a download with a limit', () => {
  const streamOf = (...chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of chunks) controller.enqueue(new Uint8Array(size));
        controller.close();
      },
    });

  it('reads a body up to the limit', async () => {
    expect((await readLimited(streamOf(3, 4), 7)).length).toBe(7);
  });

  it('stops once more than the limit arrived', async () => {
    await expect(readLimited(streamOf(3, 4, 1), 7)).rejects.toBeInstanceOf(MediaTooLargeError);
  });
});
