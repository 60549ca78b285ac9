import type { OutboundMessage } from '../../core/message.js';
import type { ReplySink } from '../../core/router.js';
import type { OutboxSender } from '../../dispatch/dispatcher.js';
import { SendError } from '../../dispatch/errors.js';

/**
 * Sends outbox rows to web chat pages: the message waits in the session's mailbox (the web channel's
 * reply sink) and the page's next poll of `GET /web/messages` shows it. The web has no message ids.
 */
export function createWebOutboxSender(sink: ReplySink): OutboxSender {
  return {
    async send(row) {
      const sessionId = row.contactChannel?.externalId;
      if (!sessionId) throw new SendError('permanent', 'a web message needs a contact channel');
      await sink.deliver(sessionId, [row.payload as unknown as OutboundMessage]);
      return {};
    },
  };
}
