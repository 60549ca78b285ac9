import { GrammyError, HttpError } from 'grammy';
import { ADMIN_CHOICE_TOKEN } from '../../admin-chat/types.js';
import { ChoiceDataTooLongError } from '../../core/choice-data.js';
import type { OutboundMessage } from '../../core/message.js';
import type { OutboxSender } from '../../dispatch/dispatcher.js';
import { SendError } from '../../dispatch/errors.js';
import type { OutboxPayload } from '../../services/outbox.js';
import type { TelegramAdapter } from './adapter.js';

/**
 * How the dispatcher should treat a failed Bot API call: 403 (blocked, kicked) → unreachable;
 * 429 → transient and rate-limited (the dispatcher pauses the channel for `retry_after`); other 4xx (chat not found, bad request) → permanent;
 * 5xx and network errors → transient.
 */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof GrammyError) {
    const message = `${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 403) return new SendError('unreachable', message, { cause: err });
    if (err.error_code === 429) {
      const retryAfterMs = (err.parameters.retry_after ?? 1) * 1000;
      return new SendError('transient', message, { cause: err, retryAfterMs, rateLimited: true });
    }
    const kind = err.error_code >= 400 && err.error_code < 500 ? 'permanent' : 'transient';
    return new SendError(kind, message, { cause: err });
  }
  if (err instanceof ChoiceDataTooLongError) return new SendError('permanent', err.message, { cause: err });
  if (err instanceof HttpError) return new SendError('transient', err.message, { cause: err });
  return new SendError('transient', err instanceof Error ? err.message : String(err), { cause: err });
}

/** The message of a payload; a post for the coordinators' chat carries admin buttons by default. */
function messageOf(payload: OutboxPayload): OutboundMessage {
  const { adminTarget, ...message } = payload;
  return adminTarget ? { choiceToken: ADMIN_CHOICE_TOKEN, ...message } : message;
}

/**
 * Sends outbox rows on Telegram through the adapter's renderer: to `row.chatId` (the coordinators'
 * chat) or to the person's Telegram id. Returns the id of the last Telegram message sent (a long
 * text is split; the buttons, which replies and presses refer to, are on the last part).
 */
export function createTelegramOutboxSender(adapter: Pick<TelegramAdapter, 'send'>): OutboxSender {
  return {
    async send(row) {
      const chatId = row.chatId ?? row.contactChannel?.externalId;
      if (!chatId) throw new SendError('permanent', 'the row names no chat and no contact channel');
      try {
        const messageId = await adapter.send(chatId, messageOf(row.payload as unknown as OutboxPayload));
        return { providerMessageId: String(messageId) };
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}
