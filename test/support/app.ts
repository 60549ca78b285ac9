import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createTaawun, type Taawun, type TaawunOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

/**
 * A whole Taawun on its own temporary SQLite database, configured from an environment like production;
 * `options` put fakes in place (a fake whatsapp-web.js client).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  dataDir?: string,
  options: Omit<TaawunOptions, 'logger'> = {},
) {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'taawun-app-'));
  const config = loadConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, ...env });
  const taawun: Taawun = await createTaawun(config, { ...options, logger: pino({ level: 'silent' }) });
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

/** What `startTestApp` gives: the running app, its base URL and its cleanup. */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** One app for the tests of the calling file or describe block (beforeAll/afterAll); returns its getter. */
export function useTestApp(env: Record<string, string> = {}): () => TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(env);
  });
  afterAll(async () => {
    await started?.cleanup();
  });
  return () => {
    if (!started) throw new Error('the app of useTestApp runs only inside its tests');
    return started;
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

/** A message as the page receives it: photos come as URLs. */
export interface PageMessage {
  text: string;
  photo?: string;
  choices?: { id: string; label: string }[];
  choiceToken?: string;
}

/** What the page gets back for a photo it posted: the replies, or an error (413, 429). */
export interface PhotoReply {
  status: number;
  messages: PageMessage[];
  photo?: string;
  error?: { code: string };
}

/** Posts a photo as the page does: the raw bytes, the session and the message id in the query. */
export async function webPhoto(
  baseUrl: string,
  sessionId: string,
  bytes: Buffer,
  messageId = `photo-${process.pid}-${++webSeq}`,
): Promise<PhotoReply> {
  const query = new URLSearchParams({ sessionId, messageId });
  const res = await fetch(`${baseUrl}/web/photos?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, ...((await res.json()) as Omit<PhotoReply, 'status'>) };
}

type WebReplies = PageMessage[];

/** A web chat user on a running app who types text and presses buttons by label, as on the page. */
export function webUser(app: { baseUrl: string; taawun: Taawun }, sessionId: string) {
  let last: WebReplies = [];
  const remember = async (reply: ReturnType<typeof webSend>) => {
    last = (await reply).messages;
    return last;
  };
  return {
    say: (text: string) => remember(webSend(app.baseUrl, sessionId, { text })),
    /** Sends a photo from the page's 📷 button. */
    photo: async (bytes: Buffer) => {
      last = (await webPhoto(app.baseUrl, sessionId, bytes)).messages;
      return last;
    },
    /** Presses the button labelled `label` on the latest replies that offer it. */
    async press(label: string) {
      const message = [...last].reverse().find((m) => m.choices?.some((c) => c.label === label));
      const choice = message?.choices?.find((c) => c.label === label);
      if (!choice) throw new Error(`no button "${label}" in ${JSON.stringify(last)}`);
      return remember(
        webSend(app.baseUrl, sessionId, { choice: { id: choice.id, token: message?.choiceToken } }),
      );
    },
    /** The id of the contact behind this web session. */
    async contactId() {
      const address = await app.taawun.database.prisma.contactChannel.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'web', externalId: sessionId } },
      });
      return address.contactId;
    },
  };
}
