/**
 * A token bucket (DESIGN §7): `ratePerSecond` tokens a second, at most `capacity` saved up, one token
 * per message. Time is passed in as epoch milliseconds so a test's clock drives it, not the wall clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    readonly ratePerSecond: number,
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

  /** Takes one token; call after `waitMs` said 0. */
  take(nowMs: number): void {
    this.refill(nowMs);
    this.tokens -= 1;
  }

  /** True when the bucket is full again, i.e. it remembers nothing worth keeping. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity - 1e-9;
  }
}
