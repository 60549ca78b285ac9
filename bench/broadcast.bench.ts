// A broadcast against a fake Bot API that enforces Telegram's flood limits (429 with retry_after),
// while a user chats with the bot: achieved rate, 429s, duplicates, misses and reply latency.
// `npm run bench:broadcast` (`-- --recipients 600` or BENCH_RECIPIENTS=600 for a shorter run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createTaawun } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services/index.js';
import { startFakeTelegram } from '../test/support/fake-telegram.js';
import { testServiceDeps } from '../test/support/service-deps.js';

const { values } = parseArgs({ options: { recipients: { type: 'string' } } });
const RECIPIENTS = Number(values.recipients ?? process.env.BENCH_RECIPIENTS ?? 3_000);
/** The fake's rate is scaled so that the broadcast takes about this long. */
const TARGET_SECONDS = 55;
const CHAT_EVERY_MS = 500;
/** Users taking turns, so that no chat gets more than Telegram's 1 message a second. */
const CHATTERS = 4;
const FIRST_RECIPIENT = 1_000_000;
const FIRST_CHATTER = 9_000_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const allowed = RECIPIENTS / TARGET_SECONDS;
  const fake = await startFakeTelegram({
    maxHoldMs: 300,
    limits: { perSecond: allowed, perChatPerSecond: 1 },
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-bench-'));
  const config = loadConfig({
    PORT: '0',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_RATE_PER_SECOND: String(allowed),
  });
  const taawun = await createTaawun(config, { logger: pino({ level: 'silent' }) });
  await taawun.start();
  const prisma = taawun.database.prisma;

  const seed = (firstId: number, count: number, subscribed: boolean) =>
    prisma.$transaction(async (tx) => {
      for (let id = firstId; id < firstId + count; id++)
        await tx.contact.create({
          data: {
            subscribed,
            consentAt: new Date(),
            channels: { create: { channel: 'telegram', externalId: String(id), lastInboundAt: new Date() } },
          },
        });
    });
  await seed(FIRST_RECIPIENT, RECIPIENTS, true);
  await seed(FIRST_CHATTER, CHATTERS, false);

  const serviceDeps = testServiceDeps({ dbProvider: taawun.database.provider });
  const started = performance.now();
  const { broadcast } = await prisma.$transaction((tx) =>
    createServices(tx, serviceDeps).broadcasts.publish(
      { text: { ar: 'اجتماع الجمعيات يوم السبت' }, audience: { kind: 'all' } },
      { label: 'bench', channel: 'bench' },
      new Date(),
    ),
  );
  taawun.dispatcher.kick();

  const latencies: number[] = [];
  const unanswered: Promise<void>[] = [];
  let lost = 0;
  let finished = false;
  const chatting = (async () => {
    for (let turn = 0; !finished; turn++) {
      const user = FIRST_CHATTER + (turn % CHATTERS);
      const before = fake.messagesTo(user).length;
      const sentAt = performance.now();
      unanswered.push(
        (async () => {
          while (fake.messagesTo(user).length === before) {
            if (performance.now() - sentAt > 30_000) {
              lost++;
              return;
            }
            await sleep(2);
          }
          latencies.push(performance.now() - sentAt);
        })(),
      );
      await fake.sendText(user, 'القائمة');
      await sleep(CHAT_EVERY_MS);
    }
  })();

  const deadline = Date.now() + TARGET_SECONDS * 4 * 1000;
  while (Date.now() < deadline) {
    const left = await prisma.outboxMessage.count({
      where: { broadcastId: broadcast.id, status: { in: ['PENDING', 'SENDING'] } },
    });
    if (left === 0) break;
    await sleep(200);
  }
  const seconds = (performance.now() - started) / 1000;
  finished = true;
  await chatting;
  await Promise.all(unanswered);

  const recipients = Array.from({ length: RECIPIENTS }, (_, i) => FIRST_RECIPIENT + i);
  const counts = recipients.map((id) => fake.messagesTo(id).length);
  const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const misses = counts.filter((n) => n === 0).length;
  const broadcastSends = fake
    .callsTo('sendMessage')
    .filter((c) => Number(c.params.chat_id) >= FIRST_RECIPIENT && Number(c.params.chat_id) < FIRST_CHATTER);
  const delivered = counts.reduce((sum, n) => sum + n, 0);
  const first = broadcastSends[0]?.at ?? 0;
  const last = broadcastSends.at(-1)?.at ?? 0;
  const rate = delivered / Math.max((last - first) / 1000, 0.001);
  latencies.sort((a, b) => a - b);

  console.log(
    `broadcast benchmark: ${RECIPIENTS} recipients, fake allows ${allowed.toFixed(1)} msg/s, 1/s per chat`,
  );
  console.log(`  rate        ${rate.toFixed(1)} msg/s = ${(rate / allowed).toFixed(2)} of the allowed rate`);
  console.log(`  429s        ${fake.rateLimited()}`);
  console.log(`  delivery    ${duplicates} duplicates · ${misses} misses`);
  console.log(
    `  replies     ${latencies.length} (${lost} unanswered in 30 s) · p50 ${percentile(latencies, 50).toFixed(0)} ms · p95 ${percentile(latencies, 95).toFixed(0)} ms`,
  );
  console.log(`  total       ${seconds.toFixed(1)} s`);
  await taawun.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
