import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MessageMedia } from 'whatsapp-web.js';
import type { WhatsAppWebOverrides } from '../../src/channels/whatsapp-web/adapter.js';
import type {
  WhatsAppWebClient,
  WhatsAppWebMedia,
  WhatsAppWebMessage,
  WhatsAppWebRuntime,
} from '../../src/channels/whatsapp-web/client.js';
import { startTestApp } from './app.js';
import { eventually } from './telegram-app.js';

/** One message the bot sent, as the fake recorded it. */
export interface SentMessage {
  chatId: string;
  /** What she reads: the text, or a photo's caption. */
  text: string;
  media?: { mimetype: string; data: string };
  id: string;
  /** When it was sent (ms since the epoch). */
  at: number;
  /** Which client sent it (0 is the first the app made). */
  client: number;
}

/** What the next sends do instead of going out: hang forever, or fail. */
export type SendTrouble = 'hang' | 'throw';

/** A whatsapp-web.js client look-alike: the library's event names and method shapes, no browser. */
export class FakeWhatsAppWebClient extends EventEmitter implements WhatsAppWebClient {
  initialized = false;
  destroyed = false;
  /** Puppeteer's browser and page: they emit 'disconnected', and 'error' / 'close'. */
  readonly pupBrowser: EventEmitter & { process(): { pid: number } };
  readonly pupPage = new EventEmitter();

  constructor(
    private readonly world: FakeWorld,
    readonly index: number,
  ) {
    super();
    this.pupBrowser = Object.assign(new EventEmitter(), { process: () => ({ pid: 40_000 + index }) });
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    if (this.world.failStarts > 0) {
      this.world.failStarts--;
      throw new Error('Failed to launch the browser process');
    }
    setImmediate(() => this.world.connect(this));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  async sendMessage(chatId: string, content: string | MessageMedia, options?: { caption?: string }) {
    if (this.destroyed) throw new Error('Protocol error: Session closed');
    const trouble = this.world.sendTroubles.shift();
    if (trouble === 'hang') return new Promise<never>(() => undefined);
    if (trouble === 'throw') throw new Error('Evaluation failed: a broken page');
    const id = `true_${chatId}_${this.world.sent.length + 1}`;
    const media =
      typeof content === 'string' ? undefined : { mimetype: content.mimetype, data: content.data };
    const text = typeof content === 'string' ? content : (options?.caption ?? '');
    this.world.sent.push({
      chatId,
      text,
      id,
      at: Date.now(),
      client: this.index,
      ...(media ? { media } : {}),
    });
    return { id: { _serialized: id } };
  }

  async getMessageById(messageId: string) {
    return this.world.received.get(messageId) ?? null;
  }

  async getContactLidAndPhone(userIds: string[]) {
    return userIds.map((lid) => ({ lid, pn: this.world.phoneChats.get(lid) }));
  }
}

interface FakeWorld {
  linked: boolean;
  failStarts: number;
  sendTroubles: SendTrouble[];
  /** Privacy id → the phone chat WhatsApp tells behind it. */
  phoneChats: Map<string, string>;
  sent: SentMessage[];
  received: Map<string, WhatsAppWebMessage>;
  connect(client: FakeWhatsAppWebClient): void;
}

/**
 * A fake WhatsApp Web for the adapter: a runtime that makes fake clients (one per start, restart or
 * reconnect), records what they send, and plays the people who write to the bot. Linked by default
 * (a saved session: a new client is ready at once); `linked: false` makes it ask for a QR.
 */
export function createFakeWhatsAppWeb(options: { linked?: boolean; pushname?: string } = {}) {
  const clients: FakeWhatsAppWebClient[] = [];
  let qrCount = 0;
  let messageCount = 0;
  // WhatsApp's ids are unique: a second fake (an app restarted on the same data) must not repeat them.
  const idPrefix = randomBytes(5).toString('hex').toUpperCase();
  const world: FakeWorld = {
    linked: options.linked ?? true,
    failStarts: 0,
    sendTroubles: [],
    phoneChats: new Map(),
    sent: [],
    received: new Map(),
    connect(client) {
      if (client.destroyed) return;
      if (!world.linked) {
        client.emit('qr', `2@fake-qr-${++qrCount}`);
        return;
      }
      client.emit('authenticated');
      client.emit('ready');
    },
  };

  const current = (): FakeWhatsAppWebClient => {
    const client = clients.at(-1);
    if (!client) throw new Error('the app made no whatsapp web client yet');
    return client;
  };

  /** Emits a message from `from` on the current client, with whatever fields the test sets. */
  function receive(from: string, fields: Partial<WhatsAppWebMessage> = {}): WhatsAppWebMessage {
    const id = `false_${from}_${idPrefix}${++messageCount}`;
    const message: WhatsAppWebMessage = {
      id: { _serialized: id },
      from,
      fromMe: false,
      type: 'chat',
      body: '',
      isStatus: false,
      broadcast: false,
      getContact: async () => ({ pushname: options.pushname ?? 'سلمى' }),
      downloadMedia: async () => undefined,
      ...fields,
    };
    world.received.set(id, message);
    current().emit('message', message);
    return message;
  }

  const runtime: WhatsAppWebRuntime = {
    createClient() {
      const client = new FakeWhatsAppWebClient(world, clients.length);
      clients.push(client);
      return client;
    },
    // The adapter only reads these two fields back; the real MessageMedia is a class with no more.
    createMedia: (mimetype, data) => ({ mimetype, data }) as MessageMedia,
  };

  return {
    runtime,
    clients,
    sent: world.sent,
    current,
    /** The next `count` starts fail, as a browser that cannot launch. */
    failNextStarts(count: number) {
      world.failStarts = count;
    },
    /** The next sends hang or fail, one per entry (then sends work again). */
    troubleNextSends(...troubles: SendTrouble[]) {
      world.sendTroubles.push(...troubles);
    },
    /** WhatsApp tells the phone chat (`<digits>@c.us`) behind privacy id `lid`. */
    revealPhone(lid: string, phoneChat: string) {
      world.phoneChats.set(lid, phoneChat);
    },
    /** Chromium crashes: the browser disconnects, the client itself says nothing. */
    crashBrowser() {
      current().pupBrowser.emit('disconnected');
    },
    /** The coordinator scans the QR with the phone: the session is saved and the client is ready. */
    scanQr() {
      world.linked = true;
      current().emit('authenticated');
      current().emit('ready');
    },
    /** WhatsApp drops the connection (phone offline, logged out…). */
    disconnect(reason = 'NAVIGATION') {
      current().emit('disconnected', reason);
    },
    /** WhatsApp refuses the saved session: the next client has to ask for a QR. */
    refuseSession() {
      world.linked = false;
      current().emit('auth_failure', 'Unable to log in. Are the session details valid?');
    },
    receive,
    /** She types `text`. */
    say: (from: string, text: string) => receive(from, { type: 'chat', body: text }),
    /** She sends a photo (JPEG bytes), with a caption if given. */
    sendPhoto(from: string, bytes: Buffer, caption = '') {
      const media: WhatsAppWebMedia = {
        mimetype: 'image/jpeg',
        data: bytes.toString('base64'),
        filesize: bytes.length,
      };
      return receive(from, { type: 'image', body: caption, downloadMedia: async () => media });
    },
    sentTo: (chatId: string) => world.sent.filter((m) => m.chatId === chatId),
    /** Waits until the bot has sent `count` messages in all. */
    waitForSent: (count: number, timeoutMs?: number) =>
      eventually(() => (world.sent.length >= count ? world.sent : undefined), timeoutMs),
  };
}

export type FakeWhatsAppWeb = ReturnType<typeof createFakeWhatsAppWeb>;

/** A numbered menu line ("1) …"): the bot asked something. */
const MENU = /^1\) /m;

/**
 * Plays one person on the fake: each `say` waits for the bot's next question (a message with a
 * numbered menu) and returns every message the bot sent her since.
 */
export function whatsappWebUser(fake: FakeWhatsAppWeb, chatId: string) {
  /** Does what she does, then waits for the bot's next question and returns what it sent her since. */
  async function act(action: () => unknown): Promise<SentMessage[]> {
    const before = fake.sentTo(chatId).length;
    action();
    return eventually(() => {
      const since = fake.sentTo(chatId).slice(before);
      return since.some((m) => MENU.test(m.text)) ? since : undefined;
    });
  }
  return {
    act,
    /** She types `text`. */
    say: (text: string) => act(() => fake.say(chatId, text)),
    /** Everything the bot sent her so far. */
    received: () => fake.sentTo(chatId),
  };
}

/**
 * The whole app as `npm start` builds it with WHATSAPP_WEB_ENABLED, on the fake (pacing gaps of 5–10
 * ms unless `env` sets them), in `dataDir` if given (a restart); resolves once the fake client is
 * ready or asks for its QR. Undo it with `cleanup`, or `stop` to keep the data directory.
 */
export async function startWhatsAppWebApp(
  options: {
    env?: Record<string, string>;
    fake?: FakeWhatsAppWeb;
    overrides?: WhatsAppWebOverrides;
    dataDir?: string;
  } = {},
) {
  const fake = options.fake ?? createFakeWhatsAppWeb();
  const app = await startTestApp(
    {
      WHATSAPP_WEB_ENABLED: 'true',
      // Any file that exists: the fake never launches a browser.
      CHROMIUM_PATH: process.execPath,
      WHATSAPP_WEB_MIN_DELAY_MS: '5',
      WHATSAPP_WEB_MAX_DELAY_MS: '10',
      ...options.env,
    },
    options.dataDir,
    { whatsappWeb: { runtime: fake.runtime, showQr: () => undefined, ...options.overrides } },
  );
  const adapter = app.taawun.whatsappWeb;
  if (!adapter) throw new Error('whatsapp web is not on');
  await eventually(() => (['ready', 'qr'].includes(adapter.state()) ? true : undefined));
  return {
    fake,
    app,
    adapter,
    prisma: app.taawun.database.prisma,
    stop: () => app.stop(),
    cleanup: () => app.cleanup(),
  };
}
