import path from 'node:path';
import type { WhatsAppWebClient, WhatsAppWebRuntime } from './client.js';

/** Where LocalAuth keeps the session under `dataPath` (it names the folder `session` without a clientId). */
export const sessionDirOf = (dataPath: string) => path.join(dataPath, 'session');

/**
 * Chromium as root in a container without a display: no sandbox (it refuses to start as root with
 * one), /tmp instead of a small /dev/shm, no GPU.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--disable-extensions',
];

/**
 * The real whatsapp-web.js runtime: clients with LocalAuth under `dataPath` (so a restart needs no
 * new QR) and the WhatsApp Web version cache beside it, driving headless Chromium at `chromiumPath`
 * (puppeteer never downloads a browser here). The library (and puppeteer) load only when called.
 */
export async function loadWhatsAppWebRuntime(options: {
  dataPath: string;
  chromiumPath: string;
}): Promise<WhatsAppWebRuntime> {
  const { Client, LocalAuth, MessageMedia } = (await import('whatsapp-web.js')).default;
  return {
    createClient(): WhatsAppWebClient {
      return new Client({
        authStrategy: new LocalAuth({ dataPath: options.dataPath }),
        webVersionCache: { type: 'local', path: path.join(options.dataPath, 'web-version-cache') },
        puppeteer: {
          executablePath: options.chromiumPath,
          headless: true,
          args: CHROMIUM_ARGS,
          // Puppeteer would kill Chromium on these signals before our graceful stop sends what is in flight.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        },
      });
    },
    createMedia: (mimetype, base64) => new MessageMedia(mimetype, base64),
  };
}
