/**
 * Per-conversation flood limit (DESIGN §11): at most `limit` messages in any `windowMs`. A person
 * never comes near it; a script or a stuck client does, and must not starve everyone else.
 */
export class FloodGuard {
  private readonly seen = new Map<string, number[]>();
  private readonly warned = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a message; false when it is over the limit. */
  allow(key: string, now: number): boolean {
    const recent = (this.seen.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.seen.set(key, recent);
    if (this.seen.size > 50_000) this.forgetIdle(now);
    return allowed;
  }

  /** True once per window for a flooding conversation: when to tell her to slow down. */
  shouldWarn(key: string, now: number): boolean {
    const last = this.warned.get(key);
    if (last !== undefined && last > now - this.windowMs) return false;
    this.warned.set(key, now);
    return true;
  }

  private forgetIdle(now: number): void {
    for (const [key, times] of this.seen) {
      if ((times.at(-1) ?? 0) <= now - this.windowMs) this.seen.delete(key);
    }
    for (const [key, at] of this.warned) if (at <= now - this.windowMs) this.warned.delete(key);
  }
}
