// Message handling through the inbox and engine on a fresh database: throughput, latency
// percentiles and memory. `npm run bench:engine` (DATABASE_URL=postgresql://… to measure PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createEngine } from '../src/core/engine.js';
import type { InboundMessage } from '../src/core/message.js';
import { createMessageRouter } from '../src/core/router.js';
import { createDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createFlowRegistry } from '../src/flows/index.js';
import { createI18n } from '../src/i18n/i18n.js';

const USERS = Number(process.env.BENCH_USERS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
// One onboarding and a few menu actions: the everyday mix of a conversation.
const SCRIPT = ['/start', '1', 'أوافق', '1', 'نعم', '1', 'مساعدة', 'القائمة'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-bench-'));
  const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'bench.db')}`;
  const logger = pino({ level: 'silent' });
  await applyMigrations({ databaseUrl, dataDir }, logger);
  const db = createDatabase({ databaseUrl, dataDir }, logger);
  const i18n = createI18n({ defaultLocale: 'ar' });
  const engine = createEngine({
    prisma: db.prisma,
    flows: createFlowRegistry(),
    services: { i18n, clock: () => new Date(), dbProvider: db.provider, productModeration: true },
    conversationTtlMs: 86_400_000,
    logger,
  });
  const router = createMessageRouter({
    prisma: db.prisma,
    engine,
    say: (key) => key,
    perMinute: Number.POSITIVE_INFINITY,
    logger,
  });
  router.attach('web', { deliver: async () => {} });

  const latencies: number[] = [];
  let seq = 0;
  const run = async (user: number) => {
    for (const text of SCRIPT) {
      const msg: InboundMessage = {
        channel: 'web',
        externalUserId: `bench-${user}`,
        externalMessageId: `bench-${++seq}`,
        receivedAt: new Date(),
        content: { kind: 'text', text },
      };
      const started = performance.now();
      const accepted = await router.accept(msg);
      if (!accepted.duplicate) await accepted.handled;
      latencies.push(performance.now() - started);
    }
  };

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < USERS) await run(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log(
    `engine benchmark on ${db.provider}: ${USERS} users × ${SCRIPT.length} messages, ${CONCURRENCY} at once`,
  );
  console.log(
    `  throughput  ${(latencies.length / seconds).toFixed(0)} messages/s (${latencies.length} in ${seconds.toFixed(2)} s)`,
  );
  console.log(
    `  latency     p50 ${percentile(latencies, 50).toFixed(1)} ms · p95 ${percentile(latencies, 95).toFixed(1)} ms · p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
  console.log(`  memory      rss ${rssMb.toFixed(0)} MB`);
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
