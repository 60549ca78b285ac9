import { ChoiceDataTooLongError } from '../../core/choice-data.js';
import type { OutboxSender } from '../../dispatch/dispatcher.js';
import { SendError, type SendErrorOptions } from '../../dispatch/errors.js';
import type { OutboxPayload } from '../../services/outbox.js';
import type { WhatsAppCloudAdapter } from './adapter.js';
import {
  GraphError,
  GraphNetworkError,
  OUTSIDE_WINDOW_CODE,
  UNDELIVERABLE_CODES,
  UNREACHABLE_CODE,
} from './client.js';
import { insideWindow, type WindowTemplates } from './window.js';

/** The reason a row outside the 24-hour window without a template is SKIPPED with. */
export const OUTSIDE_WINDOW = 'outside_window';

/** What the WhatsApp Cloud sender keeps in a row's payload besides the message. */
export interface CloudPayload extends OutboxPayload {
  /** WhatsApp reported the window closed (131047) after accepting it: the next attempt goes by template. */
  viaTemplate?: boolean;
  /** Parts of the message that went before an attempt failed (kept by the dispatcher). */
  partsSent?: number;
}

/**
 * How long the channel pauses on a throttling code. 130429 (over the number's throughput) clears
 * within seconds as the per-second budget refills; 30 s lets it, with a margin, without holding up
 * notices long. 131048 (spam rate limit), 4 (the app's call limit) and 80007 (the business account's)
 * clear more slowly, and retrying sooner only extends them: 60 s. 131056 (too many to one person;
 * Meta asks for one message per 6 s to a pair) holds up only that person, for 60 s.
 */
const THROTTLE_MS: Record<number, number> = { 130429: 30_000, 131048: 60_000, 4: 60_000, 80007: 60_000 };
/** An HTTP 429 with a code not above. */
const HTTP_429_MS = 30_000;
const PAIR_RATE_CODE = 131056;
const PAIR_RATE_MS = 60_000;
/**
 * Our account is refused: 131042 (payment), 131031 (account locked), 368 (policy block), 133010 (number
 * not registered), 190 (token expired or revoked). Every send would fail until someone fixes it.
 */
const ACCOUNT_CODES: ReadonlySet<number> = new Set([131042, 131031, 368, 133010, 190]);
const ACCOUNT_PAUSE_MS = 600_000;

/**
 * How the dispatcher should treat a failed Graph call: throttling codes and any 429 pause the channel
 * (131056, one person's limit, only delays her row); an account problem (or a 401) pauses it for
 * 10 minutes with an error logged, rather than failing every queued message; 131047 is `skipped`
 * (outside the window); 131026 marks her address unreachable; 131051 and other 4xx are permanent;
 * 5xx and network errors are transient. `partsSent`: parts of the message already gone.
 */
export function toSendError(err: unknown, partsSent = 0): SendError {
  if (err instanceof SendError) return err;
  const options: SendErrorOptions = { cause: err, partsSent };
  if (err instanceof GraphError) {
    const code = err.errorCode ?? 0;
    if (code === OUTSIDE_WINDOW_CODE) return new SendError('skipped', OUTSIDE_WINDOW, options);
    if (code === PAIR_RATE_CODE)
      return new SendError('transient', err.message, {
        ...options,
        retryAfterMs: PAIR_RATE_MS,
        rateLimited: true,
        scope: 'chat',
      });
    const throttle = THROTTLE_MS[code] ?? (err.status === 429 ? HTTP_429_MS : undefined);
    if (throttle)
      return new SendError('transient', err.message, {
        ...options,
        retryAfterMs: throttle,
        rateLimited: true,
      });
    if (ACCOUNT_CODES.has(code) || err.status === 401)
      return new SendError('transient', err.message, {
        ...options,
        retryAfterMs: ACCOUNT_PAUSE_MS,
        account: true,
      });
    if (code === UNREACHABLE_CODE) return new SendError('unreachable', err.message, options);
    if (UNDELIVERABLE_CODES.has(code)) return new SendError('permanent', err.message, options);
    const permanent = err.status >= 400 && err.status < 500;
    return new SendError(permanent ? 'permanent' : 'transient', err.message, options);
  }
  if (err instanceof ChoiceDataTooLongError) return new SendError('permanent', err.message, options);
  if (err instanceof GraphNetworkError) return new SendError('transient', err.message, options);
  return new SendError('transient', err instanceof Error ? err.message : String(err), options);
}

export interface WhatsAppCloudSenderOptions {
  /** The approved templates for messages outside the window; without one for her language they are skipped. */
  templates?: WindowTemplates;
  clock: () => Date;
}

const closedWindow = (err: unknown) => err instanceof GraphError && err.errorCode === OUTSIDE_WINDOW_CODE;

/**
 * Sends outbox rows on WhatsApp Cloud to the contact's wa_id. Inside her 24-hour window the message
 * goes as rendered, resuming after the parts an earlier attempt sent; outside it (or when WhatsApp
 * says so, 131047, at once or later in a status) it goes through the template of her language, or is
 * SKIPPED as `outside_window` when there is none. Returns the last wamid, which statuses refer to.
 */
export function createWhatsAppCloudOutboxSender(
  adapter: Pick<WhatsAppCloudAdapter, 'send' | 'sendTemplate'>,
  options: WhatsAppCloudSenderOptions,
): OutboxSender {
  return {
    async send(row) {
      const to = row.contactChannel?.externalId ?? row.chatId;
      if (!to) throw new SendError('permanent', 'the row names no chat and no contact channel');
      const {
        adminTarget: _,
        viaTemplate,
        partsSent = 0,
        ...message
      } = row.payload as unknown as CloudPayload;
      const template = options.templates?.[message.locale ?? 'ar'];
      const byTemplate = async () => {
        if (!template) throw new SendError('skipped', OUTSIDE_WINDOW);
        return { providerMessageId: await adapter.sendTemplate(to, template, message.text) };
      };
      let sent = partsSent;
      try {
        if (
          viaTemplate ||
          (row.contactChannel && !insideWindow(row.contactChannel.lastInboundAt, options.clock()))
        )
          return await byTemplate();
        try {
          const id = await adapter.send(to, message, { from: partsSent, sent: (parts) => (sent = parts) });
          return id ? { providerMessageId: id } : {};
        } catch (err) {
          if (!closedWindow(err)) throw err;
          return await byTemplate();
        }
      } catch (err) {
        throw toSendError(err, sent);
      }
    },
  };
}
