import { randomBytes } from 'node:crypto';
import type { DbClient } from '../services/db.js';
import type { FlowData } from './flow.js';

/** A contact channel's place in the conversation, as the engine works with it. */
export interface ConversationState {
  flow: string | null;
  step: string | null;
  data: FlowData;
  /** Steps visited in this flow, for "back". */
  history: string[];
  stepToken: string;
  expiresAt: Date | null;
  /** null when no row exists yet. */
  version: number | null;
}

/** Raised when another process changed the conversation meanwhile; the message is handled again. */
export class ConversationConflictError extends Error {
  readonly code = 'CONVERSATION_CONFLICT';
  constructor() {
    super('conversation changed concurrently');
  }
}

/** A short random token; buttons carry it so a press on an old message is recognised. */
export const newStepToken = (): string => randomBytes(4).toString('base64url');

export const emptyConversation = (): ConversationState => ({
  flow: null,
  step: null,
  data: {},
  history: [],
  stepToken: newStepToken(),
  expiresAt: null,
  version: null,
});

interface StoredData {
  values?: FlowData;
  history?: string[];
}

export async function loadConversation(db: DbClient, contactChannelId: string): Promise<ConversationState> {
  const row = await db.conversation.findUnique({ where: { contactChannelId } });
  if (!row) return emptyConversation();
  const stored = (row.data ?? {}) as StoredData;
  return {
    flow: row.flow,
    step: row.step,
    data: stored.values ?? {},
    history: stored.history ?? [],
    stepToken: row.stepToken,
    expiresAt: row.expiresAt,
    version: row.version,
  };
}

/** Writes the state if nobody else wrote since it was loaded (optimistic concurrency on `version`). */
export async function saveConversation(
  db: DbClient,
  contactChannelId: string,
  state: ConversationState,
): Promise<void> {
  const fields = {
    flow: state.flow,
    step: state.step,
    data: { values: state.data, history: state.history } as object,
    stepToken: state.stepToken,
    expiresAt: state.expiresAt,
  };
  if (state.version === null) {
    await db.conversation.create({ data: { contactChannelId, ...fields, version: 1 } });
    return;
  }
  const { count } = await db.conversation.updateMany({
    where: { contactChannelId, version: state.version },
    data: { ...fields, version: { increment: 1 } },
  });
  if (count === 0) throw new ConversationConflictError();
}
