import type { OutboxSender } from '../../dispatch/dispatcher.js';
import { SendError } from '../../dispatch/errors.js';
import type { OutboxPayload } from '../../services/outbox.js';
import type { WhatsAppWebAdapter } from './adapter.js';
import { DISCONNECTED_RETRY_MS, SendRefusedError } from './send-queue.js';

/**
 * A send WhatsApp Web refused before anything went out (stopped, at the day's cap, not connected,
 * or the paced queue busy) pauses the channel for its `retryAfterMs` and puts the row back
 * untouched: the dispatcher treats it as rate-limited (a pause never shortens a longer one, such as
 * the stop switch's). Anything else the library throws is transient.
 */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof SendRefusedError)
    return new SendError('transient', err.message, {
      cause: err,
      retryAfterMs: err.retryAfterMs,
      rateLimited: true,
    });
  return new SendError('transient', err instanceof Error ? err.message : String(err), { cause: err });
}

/**
 * Sends outbox rows on WhatsApp Web through the adapter's paced queue, the one its replies use, so
 * the number never sends faster than its pacing whatever the source. A row never waits in that
 * queue (the dispatcher serves every channel from one loop): when it would, it is refused with the
 * wait, and the channel pauses that long. Returns the id of the last WhatsApp message sent.
 */
export function createWhatsAppWebOutboxSender(
  adapter: Pick<WhatsAppWebAdapter, 'send' | 'connected'>,
): OutboxSender {
  return {
    // One paced queue sends everything: a second row in flight would only wait in it.
    maxInFlight: 1,
    async send(row) {
      const chatId = row.contactChannel?.externalId ?? row.chatId;
      if (!chatId) throw new SendError('permanent', 'the row names no chat and no contact channel');
      // Fail fast instead of waiting in the queue: the dispatcher serves the other channels meanwhile.
      if (!adapter.connected())
        throw toSendError(new SendRefusedError('disconnected', DISCONNECTED_RETRY_MS));
      const { adminTarget: _, ...message } = row.payload as unknown as OutboxPayload;
      try {
        return { providerMessageId: await adapter.send(chatId, message) };
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}
