/**
 * How a send failed, as the dispatcher acts on it: `unreachable` (the person blocked the bot: stop
 * writing to that address), `permanent` (this message can never be sent: give up on it), `transient`
 * (network, rate limit, outage: try again later), `skipped` (the channel may not carry it now, e.g.
 * WhatsApp outside the 24-hour window without a template: SKIPPED with the message as the reason).
 */
export type SendErrorKind = 'unreachable' | 'permanent' | 'transient' | 'skipped';

/**
 * What an outbox sender throws when a send failed; anything else it throws counts as transient.
 * The message is the provider's answer (never the text that was sent), kept in `OutboxMessage.lastError`.
 */
export class SendError extends Error {
  readonly code = 'SEND_FAILED';
  /** How long the provider asked us to wait (a 429's `retry_after`), when it said. */
  readonly retryAfterMs?: number;
  /**
   * The provider refused for sending too fast (a 429): the dispatcher pauses the whole channel for
   * `retryAfterMs` and puts the row back without counting an attempt.
   */
  readonly rateLimited: boolean;
  /**
   * What a rate limit holds up: the whole channel (default), or only this recipient (`chat`, e.g.
   * WhatsApp's 131056): then only the row waits `retryAfterMs`, and the channel goes on sending.
   */
  readonly scope: 'channel' | 'chat';
  /**
   * The provider refused because of our account (payment, lock, policy, token), not this message:
   * the dispatcher pauses the channel for `retryAfterMs`, logs an error, and the row keeps its attempts.
   */
  readonly account: boolean;
  /** Parts of a multi-part message that went before the failure: the next attempt resumes after them. */
  readonly partsSent?: number;

  constructor(
    readonly kind: SendErrorKind,
    message: string,
    options: SendErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SendError';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.partsSent) this.partsSent = options.partsSent;
    this.rateLimited = options.rateLimited ?? false;
    this.scope = options.scope ?? 'channel';
    this.account = options.account ?? false;
  }
}

export interface SendErrorOptions {
  cause?: unknown;
  retryAfterMs?: number;
  rateLimited?: boolean;
  scope?: 'channel' | 'chat';
  account?: boolean;
  partsSent?: number;
}

/** Where a multi-part send resumes, and how it reports progress (parts gone so far, in all). */
export interface SendProgress {
  from?: number;
  sent?: (parts: number) => void;
}
