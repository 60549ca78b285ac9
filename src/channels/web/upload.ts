import express, { type Request, type Response } from 'express';
import { MEDIA_MAX_BYTES } from '../../media/types.js';

/**
 * A little over the store's limit: a photo just over 5 MB is still read, so the engine can say
 * politely why it was not kept; anything larger is refused unread.
 */
const UPLOAD_LIMIT = MEDIA_MAX_BYTES + 256 * 1024;
const raw = express.raw({ type: () => true, limit: UPLOAD_LIMIT });

/** The photo bytes the page posted: `too_large` past the upload limit, `empty` without a body. */
export function readPhotoUpload(req: Request, res: Response): Promise<Buffer | 'too_large' | 'empty'> {
  return new Promise((resolve, reject) => {
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') return resolve('too_large');
      if (err) return reject(err);
      const body: unknown = req.body;
      resolve(Buffer.isBuffer(body) && body.length > 0 ? body : 'empty');
    });
  });
}
