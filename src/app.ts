import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { createAdminConsole } from './admin-chat/console.js';
import { ADMIN_CHAT_MODULES } from './admin-chat/index.js';
import { type BroadcastProgressOptions, createBroadcastProgress } from './broadcasts/progress.js';
import { createTelegramAdapter } from './channels/telegram/adapter.js';
import { telegramTexts } from './channels/telegram/locale.js';
import { createTelegramOutboxSender } from './channels/telegram/outbox-sender.js';
import { createWebChannel } from './channels/web/routes.js';
import { createWhatsAppCloudAdapter } from './channels/whatsapp-cloud/adapter.js';
import { whatsappTexts } from './channels/whatsapp-cloud/locale.js';
import { createWhatsAppCloudOutboxSender } from './channels/whatsapp-cloud/outbox-sender.js';
import { createWhatsAppWebAdapter, type WhatsAppWebOverrides } from './channels/whatsapp-web/adapter.js';
import { loadWhatsAppWebRuntime } from './channels/whatsapp-web/client-factory.js';
import { whatsappWebLabels } from './channels/whatsapp-web/locale.js';
import { createWhatsAppWebOutboxSender } from './channels/whatsapp-web/outbox-sender.js';
import type { Config } from './config.js';
import { createEngine } from './core/engine.js';
import { createMessageRouter } from './core/router.js';
import { createDatabase } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { createPgChannelLocks } from './dispatch/channel-lock.js';
import { createDispatcher } from './dispatch/dispatcher.js';
import { createChannelPacer, REAL_TIME, TELEGRAM_RATE } from './dispatch/pacer.js';
import { createFlowRegistry } from './flows/index.js';
import { ADMIN_ROUTE_MODULES } from './http/admin/index.js';
import { createAdminApi } from './http/admin/routes.js';
import { createHttpApp, type Health } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { createI18n } from './i18n/i18n.js';
import { createLogger } from './logger.js';
import { createInboundMediaResolver } from './media/inbound.js';
import { createMediaStore } from './media/store.js';
import { createServices, type ServiceDeps } from './services/index.js';

export interface TaawunOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Tests: a fake whatsapp-web.js client, timers and the browser's memory reader. */
  whatsappWeb?: WhatsAppWebOverrides;
  /** Tests: how often broadcast progress is looked at and edited. */
  broadcastProgress?: Pick<BroadcastProgressOptions, 'intervalMs' | 'minEditMs'>;
}

/**
 * The composition root: config → database (migrated) → engine → channels → HTTP. Nothing starts
 * listening or polling until `start()`, so tests can build the app and drive it directly.
 */
export async function createTaawun(config: Config, options: TaawunOptions = {}) {
  const logger =
    options.logger ??
    createLogger({ level: config.logLevel, pretty: config.env === 'development' && process.stdout.isTTY });
  await applyMigrations({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger);
  const database = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger);
  const i18n = createI18n({ defaultLocale: config.defaultLocale });
  const metrics = createMetrics();
  const serviceDeps: ServiceDeps = {
    i18n,
    adminChatId: config.telegram?.adminChatId,
    clock: options.clock ?? (() => new Date()),
    dbProvider: database.provider,
    productModeration: config.products.moderation,
  };
  const engine = createEngine({
    prisma: database.prisma,
    flows: createFlowRegistry(),
    services: serviceDeps,
    conversationTtlMs: config.conversationTtlMs,
    logger,
  });
  const media = createMediaStore({ dir: path.join(config.dataDir, 'media'), prisma: database.prisma });
  const inboundMedia = createInboundMediaResolver({ store: media, logger });
  const router = createMessageRouter({
    prisma: database.prisma,
    engine,
    media: inboundMedia,
    say: (key) => i18n.t(config.defaultLocale, key),
    logger,
    // Replies are out: whatever the message queued (notifications) goes next, without waiting a poll.
    observer: { ...metrics.observer, afterHandled: () => dispatcher.kick() },
  });

  const routers: Router[] = [];
  const web = config.web.enabled
    ? createWebChannel({ router, prisma: database.prisma, clock: serviceDeps.clock, media })
    : undefined;
  if (web) routers.push(web.routes);
  const adminChatId = config.telegram?.adminChatId;
  const adminChat = adminChatId
    ? {
        chatId: adminChatId,
        broadcastChannelId: config.telegram?.broadcastChannelId,
        console: createAdminConsole({
          prisma: database.prisma,
          serviceDeps,
          modules: ADMIN_CHAT_MODULES,
          logger,
          afterAction: () => {
            dispatcher.kick();
            broadcastProgress.kick();
          },
        }),
      }
    : undefined;
  // One pace for Telegram's replies and its outbox, so together they keep to its rate.
  const telegramPacer = createChannelPacer(config.telegram?.rate ?? TELEGRAM_RATE, {
    ...REAL_TIME,
    now: () => serviceDeps.clock().getTime(),
  });
  const telegram = config.telegram
    ? createTelegramAdapter(config.telegram, {
        router,
        logger,
        ...telegramTexts(i18n),
        adminChat,
        media,
        pacer: telegramPacer,
      })
    : undefined;
  if (telegram) inboundMedia.register('telegram', telegram.mediaFetcher);
  const whatsappCloud = config.whatsappCloud
    ? createWhatsAppCloudAdapter(config.whatsappCloud, {
        router,
        prisma: database.prisma,
        logger,
        labels: whatsappTexts(i18n),
        media,
        clock: serviceDeps.clock,
      })
    : undefined;
  if (whatsappCloud) {
    routers.push(whatsappCloud.routes);
    inboundMedia.register('whatsapp-cloud', whatsappCloud.mediaFetcher);
  }
  const whatsappWeb = config.whatsappWeb
    ? createWhatsAppWebAdapter(config.whatsappWeb, {
        router,
        db: database.prisma,
        logger,
        labels: whatsappWebLabels(i18n),
        media,
        clock: serviceDeps.clock,
        runtime: options.whatsappWeb?.runtime ?? (await loadWhatsAppWebRuntime(config.whatsappWeb)),
        ...options.whatsappWeb,
      })
    : undefined;
  if (whatsappWeb) inboundMedia.register('whatsapp-web', whatsappWeb.mediaFetcher);
  const dispatcher = createDispatcher({
    prisma: database.prisma,
    senders: {
      ...(telegram ? { telegram: createTelegramOutboxSender(telegram) } : {}),
      ...(whatsappCloud
        ? {
            'whatsapp-cloud': createWhatsAppCloudOutboxSender(whatsappCloud, {
              templates: config.whatsappCloud?.templates,
              clock: serviceDeps.clock,
            }),
          }
        : {}),
      // WHATSAPP_WEB_SENDING=off: no sender, so its rows wait in the outbox.
      ...(whatsappWeb && config.whatsappWeb?.sending
        ? { 'whatsapp-web': createWhatsAppWebOutboxSender(whatsappWeb) }
        : {}),
    },
    logger,
    clock: serviceDeps.clock,
    pacers: { telegram: telegramPacer },
    rates: {
      'whatsapp-cloud': config.whatsappCloud?.rate,
      // One row per longest gap. A row that would still wait in the paced queue (behind replies) is
      // refused, and the channel paused for that wait: the dispatcher never waits for it.
      ...(config.whatsappWeb
        ? { 'whatsapp-web': { perSecond: 1000 / Math.max(config.whatsappWeb.pacing.maxDelayMs, 1) } }
        : {}),
    },
    // Several instances may share PostgreSQL: one at a time sends on each channel, at its rate.
    locks:
      database.provider === 'postgresql'
        ? createPgChannelLocks({ databaseUrl: config.databaseUrl, logger })
        : undefined,
  });

  const broadcastProgress = createBroadcastProgress({
    prisma: database.prisma,
    serviceDeps,
    chat: telegram,
    logger,
    afterFinish: () => dispatcher.kick(),
    ...options.broadcastProgress,
  });

  const health = async (): Promise<Health> => {
    const dbOk = await database.ping();
    return {
      status: dbOk ? 'ok' : 'degraded',
      db: dbOk ? 'ok' : 'down',
      channels: {
        telegram: config.telegram ? config.telegram.mode.kind : 'off',
        whatsappWeb: whatsappWeb ? whatsappWeb.state() : 'off',
        whatsappCloud: whatsappCloud ? 'on' : 'off',
        web: web ? 'on' : 'off',
      },
    };
  };
  const adminApi = createAdminApi({
    prisma: database.prisma,
    logger,
    adminToken: config.admin.token,
    clock: serviceDeps.clock,
  });
  const adminRouteDeps = { config, logger, services: serviceDeps, whatsappWeb };
  for (const register of ADMIN_ROUTE_MODULES) register(adminApi, adminRouteDeps);
  const app = createHttpApp({
    health,
    metrics: metrics.registry,
    logger,
    routers,
    adminApi: adminApi.router,
    telegramWebhook: telegram?.webhookHandler,
    webChat: config.web.enabled,
  });

  let server: Server | undefined;
  return {
    app,
    config,
    logger,
    database,
    router,
    telegram,
    whatsappCloud,
    whatsappWeb,
    /** The media store (DATA_DIR/media): photos checked, kept once, with each channel's file id. */
    media,
    /** Sends the outbox; `kick()` it after queueing something outside a handled message. */
    dispatcher,
    /** The admin API: more route modules can be registered on it (see ADMIN_ROUTE_MODULES). */
    adminApi,

    /**
     * Grants the configured coordinators, handles what a crash left unhandled, then listens and starts
     * the channels; returns the bound port.
     */
    async start(): Promise<number> {
      const granted = await database.prisma.$transaction((tx) =>
        createServices(tx, serviceDeps).coordinators.bootstrap(config.coordinators, serviceDeps.clock()),
      );
      logger.info({ granted }, 'coordinators from the configuration granted');
      // Its browser takes seconds to start: replies to recovered messages wait for it instead of failing.
      whatsappWeb?.start();
      await router.recover();
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(config.http.port, config.http.host, () => resolve(s));
        s.once('error', reject);
      });
      await telegram?.start();
      dispatcher.start();
      broadcastProgress.start();
      const port = (server.address() as AddressInfo).port;
      logger.info({ port, host: config.http.host, provider: database.provider }, 'Taawun is running');
      return port;
    },

    /** Graceful stop: no new messages in, in-flight ones finished, then the database closed. */
    async stop(): Promise<void> {
      await telegram?.stop();
      const closing = server ? new Promise<void>((resolve) => server?.close(() => resolve())) : undefined;
      server?.closeIdleConnections();
      // Replies stop waiting for a WhatsApp Web client that is still starting (they go to the outbox).
      whatsappWeb?.closing();
      await router.drain();
      await dispatcher.stop();
      await broadcastProgress.stop();
      // After the replies in flight: they need the browser.
      await whatsappWeb?.stop();
      await closing;
      await database.close();
    },
  };
}

export type Taawun = Awaited<ReturnType<typeof createTaawun>>;
