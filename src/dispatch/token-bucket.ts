/**
 * A token bucket (DESIGN §7): `ratePerSecond` tokens a second, at most `capacity` saved up, one token
 * per message. Time is passed in as epoch milliseconds so a test's clock drives it, not the wall clock.
 * A send that must not wait may take a token that is not there: down to `floor` (a debt later sends
 * wait out, or none at 0).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    private ratePerSecond: number,
    readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  private refill(nowMs: number): void {
    if (this.updatedAt !== undefined && nowMs > this.updatedAt)
      this.tokens = Math.min(
        this.capacity,
        this.tokens + ((nowMs - this.updatedAt) * this.ratePerSecond) / 1000,
      );
    this.updatedAt = Math.max(this.updatedAt ?? nowMs, nowMs);
  }

  /** Milliseconds until a token is there: 0 when one can be taken now. */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    // A little slack so that floating-point refills of whole tokens count as whole.
    return this.tokens >= 1 - 1e-9 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }

  /** Takes one token; call after `waitMs` said 0, or without waiting, owing at most `-floor`. */
  take(nowMs: number, floor = Number.NEGATIVE_INFINITY): void {
    this.refill(nowMs);
    this.tokens = Math.max(floor, this.tokens - 1);
  }

  /** Changes the rate from `nowMs` on; what was saved up until then stays. */
  retune(ratePerSecond: number, nowMs: number): void {
    this.refill(nowMs);
    this.ratePerSecond = ratePerSecond;
  }

  /** True when the bucket is full again, i.e. it remembers nothing worth keeping. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity - 1e-9;
  }
}
