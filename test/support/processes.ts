import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Db } from '../../src/db/client.js';
import { createServices } from '../../src/services/index.js';
import type { FakeTelegram } from './fake-telegram.js';
import { testServiceDeps } from './service-deps.js';

/**
 * `npm start` as a process of its own (node with tsx loaded, so a SIGKILL reaches the app itself),
 * on `databaseUrl`, with Telegram against `fake`. The caller kills it.
 */
export function spawnTaawun(
  fake: FakeTelegram,
  dataDir: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Resolves once `child` has exited after a SIGKILL. */
export const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/**
 * `count` subscribers on Telegram (ids from `firstId` on) and a broadcast to all of them, queued:
 * the recipients' ids and the broadcast's.
 */
export async function queuedBroadcast(prisma: Db, firstId: number, count: number) {
  const ids = Array.from({ length: count }, (_, i) => firstId + i);
  await prisma.$transaction(async (tx) => {
    for (const id of ids)
      await tx.contact.create({
        data: {
          subscribed: true,
          consentAt: new Date(),
          channels: { create: { channel: 'telegram', externalId: String(id), lastInboundAt: new Date() } },
        },
      });
  });
  const { broadcast } = await prisma.$transaction((tx) =>
    createServices(tx, testServiceDeps()).broadcasts.publish(
      { text: { ar: 'اجتماع الجمعيات يوم السبت' }, audience: { kind: 'all' } },
      { label: 'process test', channel: 'test' },
      new Date(),
    ),
  );
  return { ids, broadcastId: broadcast.id };
}
