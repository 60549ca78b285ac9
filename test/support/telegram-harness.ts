import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.js';
import { telegramTexts } from '../../src/channels/telegram/locale.js';
import type { Config } from '../../src/config.js';
import { createEngine } from '../../src/core/engine.js';
import type { Flow } from '../../src/core/flow.js';
import { createMessageRouter } from '../../src/core/router.js';
import { createFlowRegistry, FLOWS } from '../../src/flows/index.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { createInboundMediaResolver } from '../../src/media/inbound.js';
import { createMediaStore } from '../../src/media/store.js';
import { createTestDatabase } from './db.js';
import { type FakeTelegram, startFakeTelegram } from './fake-telegram.js';

/** The webhook secret the harness configures (valid per the config schema). */
export const WEBHOOK_SECRET = 'test-secret_0123456789';

/** Button labels and command descriptions exactly as the composition root passes them. */
export const TELEGRAM_TEXTS = telegramTexts(createI18n({ defaultLocale: 'ar' }));

/**
 * The real engine behind the inbox on a fresh database, the Telegram adapter talking real HTTP to
 * a fake Bot API, and (in webhook mode) an express app serving `POST /telegram/webhook`.
 * `prepare` runs before the adapter starts (queue failures, intercept calls); `flows` replaces the
 * product's flows (a test flow). Photos are stored under the test database's DATA_DIR/media.
 */
export async function createTelegramHarness(
  mode: 'polling' | 'webhook',
  prepare: (fake: FakeTelegram) => void = () => {},
  options: { flows?: readonly Flow[] } = {},
) {
  const fake = await startFakeTelegram({ maxHoldMs: 300 });
  const testDb = await createTestDatabase();
  const prisma = testDb.db.prisma;
  const i18n = createI18n({ defaultLocale: 'ar' });
  const logger = pino({ level: 'silent' });
  const engine = createEngine({
    prisma,
    flows: createFlowRegistry(options.flows ?? FLOWS),
    services: { i18n, clock: () => new Date(), dbProvider: 'sqlite', productModeration: true },
    conversationTtlMs: 24 * 3_600_000,
    logger,
  });
  const media = createMediaStore({ dir: path.join(testDb.dataDir, 'media'), prisma });
  const inboundMedia = createInboundMediaResolver({ store: media, logger });
  const router = createMessageRouter({
    prisma,
    engine,
    media: inboundMedia,
    say: (key) => i18n.t('ar', key),
    logger,
  });

  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
  const config: NonNullable<Config['telegram']> = {
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode:
      mode === 'webhook' ? { kind: 'webhook', url: webhookUrl, secret: WEBHOOK_SECRET } : { kind: 'polling' },
  };
  const adapter = createTelegramAdapter(config, {
    router,
    logger,
    ...TELEGRAM_TEXTS,
    polling: { timeoutSeconds: 1, minBackoffMs: 20, maxBackoffMs: 100 },
    media,
  });
  inboundMedia.register('telegram', adapter.mediaFetcher);
  if (adapter.webhookHandler) app.post('/telegram/webhook', adapter.webhookHandler);
  prepare(fake);
  await adapter.start();

  return {
    fake,
    prisma,
    router,
    adapter,
    media,
    mediaDir: path.join(testDb.dataDir, 'media'),
    webhookUrl,
    ar: (key: string) => i18n.t('ar', key),
    conversationOf: (userId: number) =>
      prisma.conversation.findFirst({
        where: { contactChannel: { channel: 'telegram', externalId: String(userId) } },
      }),
    async cleanup() {
      await adapter.stop();
      await router.drain();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fake.close();
      await testDb.cleanup();
    },
  };
}

export type TelegramHarness = Awaited<ReturnType<typeof createTelegramHarness>>;
