import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface Health {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
  channels: Record<'telegram' | 'whatsappWeb' | 'whatsappCloud' | 'web', string>;
}

export interface HttpAppDeps {
  health: () => Promise<Health>;
  metrics: Registry;
  logger: Logger;
  /** Channel routes (web chat, webhooks); each parses its own body, so raw-body checks stay possible. */
  routers: Router[];
  /** The admin API (src/http/admin), mounted at /api; it parses, authenticates and answers errors itself. */
  adminApi?: Router;
  telegramWebhook?: RequestHandler;
  webChat: boolean;
}

const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));

/** The express app, separate from `listen` so tests mount it directly. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/health', async (_req, res) => {
    const health = await deps.health();
    res.status(health.db === 'ok' ? 200 : 503).json(health);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
  if (deps.telegramWebhook) app.post('/telegram/webhook', deps.telegramWebhook);
  if (deps.adminApi) app.use('/api', deps.adminApi);
  for (const router of deps.routers) app.use(router);
  if (deps.webChat) app.use(express.static(publicDir, { index: 'index.html', maxAge: '1h' }));

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'Not found' } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** 4xx errors say what was wrong; 5xx never show internals. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status =
      typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) logger.error({ err, path: req.path }, 'request failed');
    const message = status < 500 ? String(err.message ?? 'Bad request') : 'Internal error';
    res.status(status).json({ error: { code: status < 500 ? 'bad_request' : 'internal', message } });
  };
}
