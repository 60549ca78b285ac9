import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import type { DbClient } from '../services/db.js';
import { createServices, type ServiceDeps } from '../services/index.js';
import { ConversationConflictError, loadConversation, saveConversation } from './conversation-store.js';
import type { FlowRegistry } from './flow-registry.js';
import type { InboundMessage, OutboundMessage } from './message.js';
import { type Translator, Turn } from './turn.js';

export interface EngineDeps {
  prisma: Db;
  flows: FlowRegistry;
  /** What every service gets; its i18n and clock are the engine's too. */
  services: ServiceDeps;
  conversationTtlMs: number;
  logger: Logger;
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * The conversation engine: one inbound message in, localised replies out. Everything a turn writes
 * (contact, conversation, the inbox mark) is one transaction, so a failure leaves the user where she was.
 */
export function createEngine(deps: EngineDeps) {
  const clock = deps.services.clock;
  const translate: Translator = deps.services.i18n.t;

  async function inTurn<T>(msg: InboundMessage, work: (turn: Turn, tx: DbClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.prisma.$transaction(
          async (tx) => {
            const now = clock();
            const services = createServices(tx, deps.services);
            const { contact, contactChannelId } = await services.contacts.resolve(
              msg.channel,
              msg.externalUserId,
              now,
              msg.receivedAt,
            );
            const state = await loadConversation(tx, contactChannelId);
            const turnDeps = { ...deps, translate, services, now };
            return work(new Turn(turnDeps, msg, contact, contactChannelId, state), tx);
          },
          { timeout: 20_000, maxWait: 20_000 },
        );
      } catch (err) {
        const conflict = err instanceof ConversationConflictError || isUniqueViolation(err);
        if (!conflict || attempt >= MAX_CONFLICT_RETRIES) throw err;
        deps.logger.debug({ attempt }, 'conversation conflict; handling the message again');
      }
    }
  }

  return {
    /** Handles one message; when `inboundEventId` is given the inbox row is marked in the same transaction. */
    handle(msg: InboundMessage, inboundEventId?: string): Promise<OutboundMessage[]> {
      return inTurn(msg, async (turn, tx) => {
        const replies = await turn.run();
        if (!turn.ended) await saveConversation(tx, turn.contactChannelId, turn.state);
        if (inboundEventId) await markProcessed(tx, inboundEventId, clock());
        return replies;
      });
    },

    /** An apology and the current step shown again, changing nothing: what a user sees after our failure. */
    afterError(msg: InboundMessage): Promise<OutboundMessage[]> {
      return inTurn(msg, async (turn, tx) => {
        const replies = [{ text: turn.translate('engine:apology') }, ...(await turn.prompt())];
        if (turn.state.version === null) await saveConversation(tx, turn.contactChannelId, turn.state);
        return replies;
      });
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

/** Handled: the payload (which may hold message text) is dropped; the id stays for de-duplication. */
export function markProcessed(db: DbClient, id: string, at: Date, error?: string) {
  return db.inboundEvent.update({
    where: { id },
    data: { processedAt: at, payload: {}, ...(error ? { lastError: error } : {}) },
  });
}
