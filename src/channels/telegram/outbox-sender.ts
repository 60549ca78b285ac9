import { GrammyError } from 'grammy';
import { ADMIN_CHOICE_TOKEN } from '../../admin-chat/types.js';
import { ChoiceDataTooLongError } from '../../core/choice-data.js';
import type { OutboundMessage } from '../../core/message.js';
import type { OutboxSender } from '../../dispatch/dispatcher.js';
import { SendError } from '../../dispatch/errors.js';
import { laneOf } from '../../dispatch/pacer.js';
import type { OutboxPayload } from '../../services/outbox.js';
import type { TelegramAdapter } from './adapter.js';
import { asOutboxSend } from './flood-control.js';

/**
 * How the dispatcher should treat a failed Bot API call: 403 (blocked, kicked) → unreachable;
 * 429 → transient and rate-limited (the dispatcher pauses the channel for `retry_after`); other 4xx (chat not found, bad request) → permanent;
 * 5xx and network errors → transient.
 */
export function toSendError(err: unknown, partsSent = 0): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof GrammyError) {
    const message = `${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 403) return new SendError('unreachable', message, { cause: err });
    if (err.error_code === 429) {
      const retryAfterMs = (err.parameters.retry_after ?? 1) * 1000;
      return new SendError('transient', message, { cause: err, retryAfterMs, rateLimited: true, partsSent });
    }
    const kind = err.error_code >= 400 && err.error_code < 500 ? 'permanent' : 'transient';
    return new SendError(kind, message, { cause: err, partsSent });
  }
  if (err instanceof ChoiceDataTooLongError) return new SendError('permanent', err.message, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new SendError('transient', message, { cause: err, partsSent });
}

/** An outbox payload with the parts of a long message already sent, kept by the dispatcher after a failure. */
type TelegramPayload = OutboxPayload & { partsSent?: number };

/** The message of a payload; a post for the coordinators' chat carries admin buttons by default. */
function messageOf(payload: TelegramPayload): OutboundMessage {
  const { adminTarget, partsSent: _, ...message } = payload;
  return adminTarget ? { choiceToken: ADMIN_CHOICE_TOKEN, ...message } : message;
}

/**
 * Sends outbox rows on Telegram through the adapter's renderer: to `row.chatId` (the coordinators'
 * chat) or to the person's Telegram id, paced in the row's lane. Returns the id of the last Telegram
 * message sent (a long text is split; the buttons, which replies and presses refer to, are on the
 * last part). A long message that failed part-way resumes after the parts already sent.
 */
export function createTelegramOutboxSender(adapter: Pick<TelegramAdapter, 'send'>): OutboxSender {
  return {
    async send(row) {
      const chatId = row.chatId ?? row.contactChannel?.externalId;
      if (!chatId) throw new SendError('permanent', 'the row names no chat and no contact channel');
      const payload = row.payload as unknown as TelegramPayload;
      const from = payload.partsSent ?? 0;
      let sent = from;
      try {
        const messageId = await asOutboxSend(laneOf(row.priority), () =>
          adapter.send(chatId, messageOf(payload), undefined, { from, sent: (parts) => (sent = parts) }),
        );
        return { providerMessageId: String(messageId) };
      } catch (err) {
        throw toSendError(err, sent);
      }
    },
  };
}
