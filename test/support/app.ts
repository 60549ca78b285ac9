import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createTaawun, type Taawun } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

/** A whole Taawun on its own temporary SQLite database, configured from an environment like production. */
export async function startTestApp(env: Record<string, string> = {}, dataDir?: string) {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'taawun-app-'));
  const config = loadConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, ...env });
  const taawun: Taawun = await createTaawun(config, { logger: pino({ level: 'silent' }) });
  const port = await taawun.start();
  return {
    taawun,
    dataDir: dir,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () => taawun.stop(),
    /** Stops the app and removes its data directory. */
    async cleanup() {
      await taawun.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let webSeq = 0;

/** Posts one web chat message the way the page does, and returns the bot's replies. */
export async function webSend(
  baseUrl: string,
  sessionId: string,
  content: { text: string } | { choice: { id: string; token?: string } },
  messageId = `msg-${process.pid}-${++webSeq}`,
) {
  const res = await fetch(`${baseUrl}/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, messageId, ...content }),
  });
  const body = (await res.json()) as {
    messages: { text: string; choices?: { id: string; label: string }[]; choiceToken?: string }[];
  };
  return { status: res.status, messages: body.messages ?? [] };
}
