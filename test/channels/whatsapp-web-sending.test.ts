import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { nextGazaMidnight, SENT_ROW, startOfGazaDay } from '../../src/channels/whatsapp-web/daily-cap.js';
import { createWhatsAppWebOutboxSender } from '../../src/channels/whatsapp-web/outbox-sender.js';
import type { Db } from '../../src/db/client.js';
import { pauseChannel } from '../../src/dispatch/channel-pause.js';
import { SendError } from '../../src/dispatch/errors.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { ADMIN_TOKEN } from '../support/admin-api.js';
import type { TestApp } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { createFakeWhatsAppWeb, startWhatsAppWebApp, whatsappWebUser } from '../support/fake-whatsapp-web.js';
import { PHOTOS } from '../support/photos.js';
import { eventually } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const SALMA = '970599123456@c.us';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Queues `count` notices to her on WhatsApp Web, as a service would. */
async function queueNotices(prisma: Db, count: number) {
  const address = await prisma.contactChannel.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'whatsapp-web', externalId: SALMA } },
  });
  const rows = [];
  for (let i = 1; i <= count; i++)
    rows.push(
      await prisma.outboxMessage.create({
        data: {
          kind: 'notice',
          channel: 'whatsapp-web',
          contactChannelId: address.id,
          payload: { text: `خبر ${i}` },
          priority: 5,
        },
      }),
    );
  return rows;
}

const statusOf = async (prisma: Db, ids: string[]) =>
  (await prisma.outboxMessage.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } })).map(
    (row) => row.status,
  );

/** Waits until every message she sent was handled and its replies delivered (or refused). */
async function allHandled(app: TestApp) {
  const { prisma } = app.taawun.database;
  await eventually(async () =>
    (await prisma.inboundEvent.count({ where: { channel: 'whatsapp-web', processedAt: null } })) === 0
      ? true
      : undefined,
  );
  await app.taawun.router.drain();
}

describe('WhatsApp Web sending: one paced queue, a daily cap, a stop switch', () => {
  const cleanups = useCleanups();
  const start = async (options: Parameters<typeof startWhatsAppWebApp>[0] = {}) => {
    const started = await startWhatsAppWebApp({
      ...options,
      env: { ADMIN_API_TOKEN: ADMIN_TOKEN, ...options.env },
    });
    cleanups.push(started.cleanup);
    return started;
  };

  it('spaces every message, replies and outbox alike, by at least the minimum gap', async () => {
    const { fake, prisma, app } = await start({
      env: { WHATSAPP_WEB_MIN_DELAY_MS: '60', WHATSAPP_WEB_MAX_DELAY_MS: '90' },
    });
    const salma = whatsappWebUser(fake, SALMA);
    await salma.say('مرحبا');
    await queueNotices(prisma, 3);
    app.taawun.dispatcher.kick();
    await salma.say('١');
    await eventually(() =>
      salma.received().filter((m) => m.text.startsWith('خبر')).length === 3 ? true : undefined,
    );
    const times = fake.sent.map((m) => m.at);
    expect(times.length).toBeGreaterThanOrEqual(5);
    const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(60);
  });

  it('stops at the daily cap, counted from the database, and leaves the rest pending', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-wa-cap-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { WHATSAPP_WEB_DAILY_CAP: '4' };
    const first = await startWhatsAppWebApp({ env, dataDir });
    await whatsappWebUser(first.fake, SALMA).say('مرحبا');
    const counted = await eventually(() =>
      first.prisma.channelState.findUnique({ where: { channel: SENT_ROW } }),
    );
    expect(counted).toMatchObject({ sentCount: 1, countedFrom: startOfGazaDay(new Date()) });
    expect(await first.prisma.outboxMessage.count()).toBe(0);
    await first.stop();

    // A restart: the reply sent before it still counts.
    const { fake, prisma, app, adapter } = await start({ env, dataDir });
    await whatsappWebUser(fake, SALMA).say('١');
    const rows = await queueNotices(prisma, 4);
    app.taawun.dispatcher.kick();
    // Paused until midnight by the cap (rows refused meanwhile for the pacing pause only seconds).
    const midnight = nextGazaMidnight(new Date()).getTime();
    await eventually(async () => {
      const state = await prisma.channelState.findUnique({ where: { channel: 'whatsapp-web' } });
      return Math.abs((state?.pausedUntil?.getTime() ?? 0) - midnight) < 1_000 ? true : undefined;
    });
    expect(
      await statusOf(
        prisma,
        rows.map((r) => r.id),
      ),
    ).toEqual(['SENT', 'SENT', 'PENDING', 'PENDING']);

    fake.say(SALMA, '١');
    await allHandled(app);
    expect(fake.sent.map((m) => m.text.split('\n')[0])).toEqual([
      ar('onboarding:consent.text').split('\n')[0],
      'خبر 1',
      'خبر 2',
    ]);
    expect((await adapter.status()).sending).toMatchObject({ sentToday: 4, dailyCap: 4 });
  });

  it('stops all sending from the admin API for every instance, and resumes', async () => {
    const { fake, prisma, app } = await start();
    const api = () => request(app.taawun.app);
    await whatsappWebUser(fake, SALMA).say('مرحبا');
    const sentBefore = fake.sent.length;

    const paused = await api().post('/api/channels/whatsapp-web/pause').set(auth);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ channel: 'whatsapp-web', stopped: true });
    fake.say(SALMA, '١');
    await allHandled(app);
    const rows = await queueNotices(prisma, 2);
    await app.taawun.dispatcher.runOnce();
    expect(
      await statusOf(
        prisma,
        rows.map((r) => r.id),
      ),
    ).toEqual(['PENDING', 'PENDING']);
    expect(fake.sent).toHaveLength(sentBefore);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'channel.sending.stop' } });
    expect(audit).toMatchObject({ actorLabel: 'admin-token:env', targetId: 'whatsapp-web' });

    const resumed = await api().post('/api/channels/whatsapp-web/resume').set(auth);
    expect(resumed.body).toEqual({ channel: 'whatsapp-web', stopped: false, stoppedAt: null });
    app.taawun.dispatcher.kick();
    await eventually(async () =>
      (
        await statusOf(
          prisma,
          rows.map((r) => r.id),
        )
      ).join() === 'SENT,SENT'
        ? true
        : undefined,
    );
    expect(fake.sent.slice(sentBefore).map((m) => m.text)).toEqual(['خبر 1', 'خبر 2']);
  });

  it('refuses an outbox row that would wait in the paced queue, with the wait, instead of holding the dispatcher', async () => {
    const { fake, prisma, adapter } = await start({
      env: { WHATSAPP_WEB_MIN_DELAY_MS: '400', WHATSAPP_WEB_MAX_DELAY_MS: '400' },
    });
    await whatsappWebUser(fake, SALMA).say('مرحبا');
    const [row] = await queueNotices(prisma, 1);
    const outboxRow = await prisma.outboxMessage.findUniqueOrThrow({
      where: { id: row?.id },
      include: { contactChannel: true },
    });
    const sender = createWhatsAppWebOutboxSender(adapter);
    const asked = Date.now();
    const refusal = await sender.send(outboxRow).catch((err: unknown) => err);
    expect(Date.now() - asked).toBeLessThan(100);
    expect(refusal).toBeInstanceOf(SendError);
    expect(refusal).toMatchObject({ kind: 'transient', rateLimited: true });
    expect((refusal as SendError).retryAfterMs).toBeGreaterThan(0);
    expect((refusal as SendError).retryAfterMs).toBeLessThanOrEqual(400);

    await new Promise((resolve) => setTimeout(resolve, (refusal as SendError).retryAfterMs));
    expect(await sender.send(outboxRow)).toMatchObject({ providerMessageId: expect.any(String) });
    expect(fake.sent.at(-1)?.text).toBe('خبر 1');
  });

  it('gives a hung send up after its time and restarts the client; a failing one stalls nothing', async () => {
    const { fake, app } = await start({ overrides: { sendTimeoutMs: 200 } });
    const salma = whatsappWebUser(fake, SALMA);
    fake.troubleNextSends('hang');
    fake.say(SALMA, 'مرحبا');
    await allHandled(app);
    await eventually(() => (fake.clients.length === 2 && fake.clients[0]?.destroyed ? true : undefined));
    const [welcome] = await salma.say('مرحبا');
    expect(welcome?.client).toBe(1);

    fake.troubleNextSends('throw');
    fake.say(SALMA, '١'); // her consent question is lost with the failed send
    await allHandled(app);
    const next = await salma.say(ar('onboarding:consent.agree'));
    expect(next.at(-1)?.text).toContain(ar('onboarding:persona.member'));
    expect(fake.clients).toHaveLength(2);
  });

  it('sends a photo and its long text whole or not at all when the cap is near', async () => {
    const { fake, prisma, app, adapter } = await start({ env: { WHATSAPP_WEB_DAILY_CAP: '2' } });
    await whatsappWebUser(fake, SALMA).say('مرحبا');
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    const address = await prisma.contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'whatsapp-web', externalId: SALMA } },
    });
    const row = await prisma.outboxMessage.create({
      data: {
        kind: 'notice',
        channel: 'whatsapp-web',
        contactChannelId: address.id,
        payload: { text: 'ط'.repeat(1_100), photo: { kind: 'stored', mediaId: stored.media.id } },
      },
    });
    await app.taawun.dispatcher.runOnce();
    expect(await statusOf(prisma, [row.id])).toEqual(['PENDING']);
    expect(fake.sent).toHaveLength(1);
    expect((await adapter.status()).sending).toMatchObject({ sentToday: 1, dailyCap: 2 });
  });

  it('keeps the stop switch’s pause when a send refused meanwhile pauses the channel for a minute', async () => {
    const { prisma, app } = await start();
    await request(app.taawun.app).post('/api/channels/whatsapp-web/pause').set(auth).expect(200);
    const stopped = await prisma.channelState.findUniqueOrThrow({ where: { channel: 'whatsapp-web' } });
    await pauseChannel(prisma, 'whatsapp-web', new Date(Date.now() + 60_000), 'rate-limited');
    const after = await prisma.channelState.findUniqueOrThrow({ where: { channel: 'whatsapp-web' } });
    expect(after).toMatchObject({ pausedUntil: stopped.pausedUntil, reason: 'stopped' });

    // A longer pause still replaces a shorter one.
    await request(app.taawun.app).post('/api/channels/whatsapp-web/resume').set(auth).expect(200);
    await pauseChannel(prisma, 'whatsapp-web', new Date(Date.now() + 1_000), 'rate-limited');
    const later = new Date(Date.now() + 60_000);
    await pauseChannel(prisma, 'whatsapp-web', later, 'outage');
    expect(await prisma.channelState.findUniqueOrThrow({ where: { channel: 'whatsapp-web' } })).toMatchObject(
      {
        pausedUntil: later,
        reason: 'outage',
      },
    );
  });

  it('sends nothing with WHATSAPP_WEB_SENDING=off, and still receives', async () => {
    const { fake, prisma, app } = await start({ env: { WHATSAPP_WEB_SENDING: 'off' } });
    fake.say(SALMA, 'مرحبا');
    await allHandled(app);
    const rows = await queueNotices(prisma, 1);
    await app.taawun.dispatcher.runOnce();
    expect(
      await statusOf(
        prisma,
        rows.map((r) => r.id),
      ),
    ).toEqual(['PENDING']);
    expect(fake.sent).toEqual([]);
  });

  it('shows coordinators the QR to scan, behind the admin token', async () => {
    const { fake, app } = await start({ fake: createFakeWhatsAppWeb({ linked: false }) });
    const api = () => request(app.taawun.app);
    expect((await api().get('/api/whatsapp-web/qr')).status).toBe(401);

    const waiting = await api().get('/api/whatsapp-web/qr').set(auth);
    expect(waiting.body).toMatchObject({
      state: 'qr',
      qr: '2@fake-qr-1',
      sending: { enabled: true, stoppedAt: null },
    });
    expect(waiting.body.svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    fake.scanQr();
    const ready = await api().get('/api/whatsapp-web/qr').set(auth);
    expect(ready.body.state).toBe('ready');
    expect(ready.body).not.toHaveProperty('svg');
  });
});
