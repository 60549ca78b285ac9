import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  browserMemory,
  RESTART_COOLDOWN_MS,
  startMemoryWatchdog,
} from '../../src/channels/whatsapp-web/memory-watchdog.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { useCleanups } from '../support/cleanups.js';
import { createFakeWhatsAppWeb, startWhatsAppWebApp, whatsappWebUser } from '../support/fake-whatsapp-web.js';
import { eventually } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const SALMA = '970599123456@c.us';
const MB = 1_048_576;

describe('WhatsApp Web connection', () => {
  const cleanups = useCleanups();
  const start = async (options: Parameters<typeof startWhatsAppWebApp>[0] = {}) => {
    const started = await startWhatsAppWebApp(options);
    cleanups.push(started.cleanup);
    return started;
  };
  /** Reconnect waits as the adapter asked for them; each resolves at once. */
  const recordWaits = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };
  /** Reconnect waits that end only when the app stops. */
  const waitUntilStopped = async (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
  const readyWith = (started: Awaited<ReturnType<typeof start>>, clients: number) =>
    eventually(() =>
      started.fake.clients.length === clients && started.adapter.state() === 'ready' ? true : undefined,
    );

  it('reconnects after a disconnect with a backoff that doubles while starts fail and resets once ready', async () => {
    const { waits, sleep } = recordWaits();
    const started = await start({ overrides: { sleep } });
    const { fake } = started;

    fake.failNextStarts(3);
    fake.disconnect();
    await readyWith(started, 5);
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(fake.clients.slice(0, 4).every((client) => client.destroyed)).toBe(true);

    fake.disconnect('LOGOUT');
    await readyWith(started, 6);
    expect(waits.slice(4)).toEqual([5_000]);
    const [reply] = await whatsappWebUser(fake, SALMA).say('مرحبا');
    expect(reply?.client).toBe(5);
  });

  it('never waits more than five minutes between attempts', async () => {
    const { waits, sleep } = recordWaits();
    const started = await start({ overrides: { sleep } });
    started.fake.failNextStarts(8);
    started.fake.disconnect();
    await readyWith(started, 10);
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('removes a session WhatsApp refuses and asks for a new QR', async () => {
    const { sleep } = recordWaits();
    const started = await start({ overrides: { sleep } });
    const session = path.join(started.app.dataDir, 'whatsapp-web', 'session');
    mkdirSync(path.join(session, 'Default'), { recursive: true });
    writeFileSync(path.join(session, 'Default', 'Cookies'), 'saved session');

    started.fake.refuseSession();
    await eventually(() => (started.adapter.state() === 'qr' ? true : undefined));
    expect(existsSync(session)).toBe(false);
    expect(started.fake.clients).toHaveLength(2);
    expect((await started.adapter.status()).qr).toBe('2@fake-qr-1');

    started.fake.scanQr();
    expect(started.adapter.state()).toBe('ready');
  });

  it('restarts the client, keeping its session, when its browser passes the memory bound', async () => {
    const firstBrowser = 40_000;
    const read = async (pid: number) => (pid === firstBrowser ? 700 * MB : 150 * MB);
    const started = await start({
      env: { WHATSAPP_WEB_MAX_MEMORY_MB: '600' },
      overrides: { readMemory: read, memoryCheckMs: 20 },
    });
    const session = path.join(started.app.dataDir, 'whatsapp-web', 'session');
    mkdirSync(session, { recursive: true });

    await readyWith(started, 2);
    const [first, second] = started.fake.clients;
    expect(first?.destroyed).toBe(true);
    expect(second?.destroyed).toBe(false);
    expect(existsSync(session)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started.fake.clients).toHaveLength(2);
    const [reply] = await whatsappWebUser(started.fake, SALMA).say('مرحبا');
    expect(reply?.client).toBe(1);
  });

  it('answers a message a crash left unhandled once the client is up again', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-wa-recover-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const before = await startWhatsAppWebApp({ dataDir });
    const receivedAt = new Date();
    await before.prisma.inboundEvent.create({
      data: {
        channel: 'whatsapp-web',
        externalMessageId: 'false_970599123456@c.us_CRASHED1',
        receivedAt,
        payload: {
          channel: 'whatsapp-web',
          externalUserId: SALMA,
          externalMessageId: 'false_970599123456@c.us_CRASHED1',
          receivedAt: receivedAt.toISOString(),
          profile: { phone: '+970599123456' },
          content: { kind: 'text', text: 'مرحبا' },
        },
      },
    });
    await before.stop();

    const after = await start({ dataDir });
    const [reply] = await after.fake.waitForSent(1);
    expect(reply).toMatchObject({ chatId: SALMA, client: 0 });
    expect(reply?.text.split('\n')[0]).toBe(ar('onboarding:welcome.text').split('\n')[0]);
  });

  it('notices a crashed browser or page, which the client itself never reports, and reconnects', async () => {
    const { sleep } = recordWaits();
    const started = await start({ overrides: { sleep } });
    started.fake.crashBrowser();
    await readyWith(started, 2);
    expect(started.fake.clients[0]?.destroyed).toBe(true);

    started.fake.current().pupPage.emit('error', new Error('Page crashed!'));
    await readyWith(started, 3);
    const [reply] = await whatsappWebUser(started.fake, SALMA).say('مرحبا');
    expect(reply?.client).toBe(2);
  });

  it('reconnects when the watchdog finds no process left under the ready browser', async () => {
    const { sleep } = recordWaits();
    const read = async (pid: number) => (pid === 40_000 ? undefined : 150 * MB);
    const started = await start({ overrides: { sleep, readMemory: read, memoryCheckMs: 20 } });
    await readyWith(started, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started.fake.clients).toHaveLength(2);
  });

  it('keeps trying when a new client cannot even be made', async () => {
    const { waits, sleep } = recordWaits();
    const fake = createFakeWhatsAppWeb();
    const make = fake.runtime.createClient;
    let refusals = 0;
    fake.runtime.createClient = () => {
      if (fake.clients.length === 1 && refusals++ < 2) throw new Error('spawn ENOMEM');
      return make();
    };
    const started = await start({ fake, overrides: { sleep } });
    fake.disconnect();
    await readyWith(started, 2);
    expect(waits).toEqual([5_000, 10_000, 20_000]);
  });

  it('launches no client when the app stops during a reconnect wait', async () => {
    const started = await startWhatsAppWebApp({ overrides: { sleep: waitUntilStopped } });
    started.fake.disconnect();
    await eventually(() => (started.adapter.state() === 'reconnecting' ? true : undefined));
    await started.cleanup();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started.fake.clients).toHaveLength(1);
    expect(started.adapter.state()).toBe('stopped');
  });

  it('stops without waiting for a client that is not back, keeping the replies for her in the outbox', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-wa-closing-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const before = await startWhatsAppWebApp({ dataDir, overrides: { sleep: waitUntilStopped } });
    before.fake.disconnect();
    await eventually(() => (before.adapter.state() === 'reconnecting' ? true : undefined));
    const acceptance = await before.app.taawun.router.accept({
      channel: 'whatsapp-web',
      externalUserId: SALMA,
      externalMessageId: 'false_970599123456@c.us_WHILE_AWAY',
      receivedAt: new Date(),
      profile: { phone: '+970599123456' },
      content: { kind: 'text', text: 'مرحبا' },
    });
    expect(acceptance.duplicate).toBe(false);
    const stopping = Date.now();
    await before.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    const [kept] = await before.prisma.outboxMessage.findMany();
    expect(kept).toMatchObject({ channel: 'whatsapp-web', chatId: SALMA, priority: 0, status: 'PENDING' });

    const after = await start({ dataDir });
    // A refusal while it was down may have paused the channel; that pause has run out.
    await after.prisma.channelState.deleteMany({ where: { channel: 'whatsapp-web' } });
    after.app.taawun.dispatcher.kick();
    const [reply] = await after.fake.waitForSent(1);
    expect(reply?.chatId).toBe(SALMA);
    expect(reply?.text.split('\n')[0]).toBe(ar('onboarding:welcome.text').split('\n')[0]);
  });

  it('restarts for memory at most once per cooldown, and says loudly when the new browser is still over', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let now = 0;
    let pid = 1;
    const restarts: number[] = [];
    const stop = startMemoryWatchdog({
      pid: () => pid,
      read: async () => 700 * MB,
      maxBytes: 600 * MB,
      intervalMs: 10,
      onExceeded: async () => void restarts.push(pid++),
      onGone: () => undefined,
      logger,
      now: () => now,
    });
    cleanups.push(stop);
    await eventually(() => (restarts.length === 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(restarts).toEqual([1]);
    const errors = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ mb: 700, maxMb: 600 });

    now += RESTART_COOLDOWN_MS;
    await eventually(() => (restarts.length === 2 ? true : undefined));
  });

  it('closes the browser when the app stops', async () => {
    const started = await startWhatsAppWebApp({ fake: createFakeWhatsAppWeb() });
    await started.cleanup();
    expect(started.fake.current().destroyed).toBe(true);
    expect(started.adapter.state()).toBe('stopped');
  });

  it('measures a browser with every process under it, from /proc', async () => {
    const child = spawn('sleep', ['10']);
    cleanups.push(() => void child.kill());
    const childPid = child.pid ?? 0;
    await eventually(async () => ((await browserMemory(childPid)) ? true : undefined));
    const own = (await browserMemory(childPid)) ?? 0;
    const tree = (await browserMemory(process.pid)) ?? 0;
    expect(own).toBeGreaterThan(0);
    expect(tree).toBeGreaterThan(own);
    expect(await browserMemory(2 ** 22 + 1)).toBeUndefined();
  });
});
