import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from 'pino';

export const WEBHOOK_PATH = '/whatsapp/webhook';
const SIGNATURE_PREFIX = 'sha256=';

export interface WebhookOptions {
  verifyToken: string;
  appSecret: string;
  /** Stores what the payload carries; resolves once it is safe to answer 200 (Meta will not resend). */
  ingest(payload: unknown): Promise<void>;
  logger: Logger;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `header` is `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`, compared in constant time. */
export function validSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith(SIGNATURE_PREFIX)) return false;
  const given = Buffer.from(header.slice(SIGNATURE_PREFIX.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /whatsapp/webhook` answers Meta's verification handshake; `POST` checks the signature on the
 * raw body before anything is parsed (401 and nothing stored otherwise), stores what it carries and
 * answers 200 without waiting for replies. Its body parser is its own, so no global one may run first.
 */
export function createWebhookRoutes(options: WebhookOptions): Router {
  const { logger } = options;
  const verifyToken = digest(options.verifyToken);
  const routes = express.Router();

  routes.get(WEBHOOK_PATH, (req, res) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    const verified =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      typeof challenge === 'string' &&
      timingSafeEqual(digest(token), verifyToken);
    if (!verified) {
      logger.warn('whatsapp webhook verification refused');
      res.sendStatus(403);
      return;
    }
    res.type('text/plain').send(challenge);
  });

  routes.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '3mb' }), (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(options.appSecret, body, req.get('x-hub-signature-256'))) {
      logger.warn('whatsapp webhook call with a bad signature refused');
      res.sendStatus(401);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      res.sendStatus(400);
      return;
    }
    options.ingest(payload).then(
      () => res.sendStatus(200),
      (err) => {
        // Name and code only: a database error's message may quote the stored payload (her text).
        const error = err instanceof Error ? { error: err.name, code: (err as { code?: unknown }).code } : {};
        logger.error(error, 'storing a whatsapp webhook call failed');
        res.sendStatus(500);
      },
    );
  });

  return routes;
}
