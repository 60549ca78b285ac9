/**
 * How a send failed, as the dispatcher acts on it: `unreachable` (the person blocked the bot: stop
 * writing to that address), `permanent` (this message can never be sent: give up on it), `transient`
 * (network, rate limit, outage: try again later).
 */
export type SendErrorKind = 'unreachable' | 'permanent' | 'transient';

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

  constructor(
    readonly kind: SendErrorKind,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number; rateLimited?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SendError';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.rateLimited = options.rateLimited ?? false;
  }
}
