import { readFileSync } from 'node:fs';
import { MEDIA_MAX_BYTES } from '../../src/media/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

/** Real 16×12 images (drawn by Chromium), small enough to read in a test. */
export const PHOTOS = {
  jpeg: fixture('photo.jpg'),
  png: fixture('photo.png'),
  webp: fixture('photo.webp'),
};

/** The first bytes of a PDF: what a member sends when she shares a document instead of a photo. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

/** A JPEG (by its first bytes) of `size` bytes; by default 1 MB over the limit. */
export function largeJpeg(size = MEDIA_MAX_BYTES + 1024 * 1024): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  PHOTOS.jpeg.copy(bytes);
  return bytes;
}
