import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { createEngine } from '../../src/core/engine.js';
import type { Flow } from '../../src/core/flow.js';
import type { InboundContent, InboundMessage, OutboundMessage } from '../../src/core/message.js';
import { createMessageRouter } from '../../src/core/router.js';
import { createFlowRegistry, FLOWS } from '../../src/flows/index.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { createServices } from '../../src/services/index.js';
import { createTestDatabase } from './db.js';

/** A day in milliseconds: how long the harness keeps a waiting conversation. */
export const DAY_MS = 24 * 3_600_000;

/** Which flows the engine runs, on which database, and the coordinators' chat its services post to. */
export interface EngineHarnessOptions {
  flows?: readonly Flow[];
  provider?: 'sqlite' | 'postgresql';
  adminChatId?: string;
  /** Products wait for a coordinator (default true, as in production). */
  productModeration?: boolean;
}

/**
 * The engine behind its inbox, with an in-memory channel that plays one or more users: what flow
 * tests drive. `send` returns the replies that message produced; the database is a fresh one.
 */
export async function createEngineHarness(options: EngineHarnessOptions = {}) {
  const testDb = await createTestDatabase(options.provider);
  const prisma = testDb.db.prisma;
  const i18n = createI18n({ defaultLocale: 'ar' });
  let now = new Date('2026-11-29T09:00:00Z');
  const logger = pino({ level: 'silent' });
  const serviceDeps = {
    i18n,
    clock: () => new Date(),
    adminChatId: options.adminChatId,
    dbProvider: testDb.db.provider,
    productModeration: options.productModeration ?? true,
  };
  const engine = createEngine({
    prisma,
    flows: createFlowRegistry(options.flows ?? FLOWS),
    services: { ...serviceDeps, clock: () => now },
    conversationTtlMs: DAY_MS,
    logger,
  });
  const router = createMessageRouter({
    prisma,
    engine,
    say: (key) => i18n.t('ar', key),
    logger,
  });
  const delivered = new Map<string, OutboundMessage[]>();
  router.attach('web', {
    async deliver(user, messages) {
      delivered.set(user, [...(delivered.get(user) ?? []), ...messages]);
    },
  });
  let seq = 0;
  const last = new Map<string, OutboundMessage[]>();

  /** One message from `user` (with what the channel tells of her, if anything); returns its replies. */
  async function send(
    user: string,
    content: InboundContent | string,
    profile?: InboundMessage['profile'],
  ): Promise<OutboundMessage[]> {
    const accepted = await router.accept({
      channel: 'web',
      externalUserId: user,
      externalMessageId: `m${++seq}`,
      receivedAt: now,
      profile,
      content: typeof content === 'string' ? { kind: 'text', text: content } : content,
    });
    if (accepted.duplicate) return [];
    const replies = await accepted.handled;
    last.set(user, replies);
    return replies;
  }

  return {
    prisma,
    i18n,
    router,
    delivered,
    send,
    /** Presses the button labelled `label` on the user's latest replies, with its step token. */
    async press(user: string, label: string): Promise<OutboundMessage[]> {
      const message = [...(last.get(user) ?? [])]
        .reverse()
        .find((m) => m.choices?.some((c) => c.label === label));
      const choice = message?.choices?.find((c) => c.label === label);
      if (!message || !choice) {
        const offered = (last.get(user) ?? []).flatMap((m) => m.choices?.map((c) => c.label) ?? []);
        throw new Error(`no button "${label}"; offered: ${offered.join(' | ')}`);
      }
      return send(user, { kind: 'choice', choiceId: choice.id, token: message.choiceToken });
    },
    lastReplies: (user: string) => last.get(user) ?? [],
    /** The services as an admin API call or a coordinator's press uses them (on the real clock). */
    services: () => createServices(prisma, serviceDeps),
    ar: (key: string, opts?: Record<string, unknown>) => i18n.t('ar', key, opts),
    en: (key: string, opts?: Record<string, unknown>) => i18n.t('en', key, opts),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    async conversationOf(user: string) {
      return prisma.conversation.findFirst({
        where: { contactChannel: { channel: 'web', externalId: user } },
      });
    },
    async contactOf(user: string) {
      const channel = await prisma.contactChannel.findUnique({
        where: { channel_externalId: { channel: 'web', externalId: user } },
        include: { contact: true },
      });
      return channel?.contact ?? null;
    },
    cleanup: testDb.cleanup,
  };
}

export type EngineHarness = Awaited<ReturnType<typeof createEngineHarness>>;

/**
 * A fresh harness for each test (beforeEach/afterEach in the calling scope), through an object that
 * stands for the current test's harness: `const h = useEngineHarness(); … h.send('u1', '/start')`.
 */
export function useEngineHarness(options: EngineHarnessOptions = {}): EngineHarness {
  let current: EngineHarness | undefined;
  beforeEach(async () => {
    current = await createEngineHarness(options);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return new Proxy({} as EngineHarness, {
    get(_target, key) {
      if (!current) throw new Error(`engine harness used outside a test (reading "${String(key)}")`);
      return Reflect.get(current, key);
    },
  });
}

/** All the text of some replies, joined: handy for `toContain`. */
export const textOf = (replies: OutboundMessage[]) => replies.map((m) => m.text).join('\n');
/** The labels of all the buttons some replies offer, in order. */
export const labelsOf = (replies: OutboundMessage[]) =>
  replies.flatMap((m) => m.choices?.map((c) => c.label) ?? []);
