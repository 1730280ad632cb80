/**
 * A token bucket, the way AWS describes its API rate limits: `burst` calls
 * at once, refilled at `perSecond`. Put it behind FaultProxy.injectBy to
 * throttle like ECR.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  public constructor(private readonly perSecond: number, private readonly burst: number, private readonly now = () => Date.now()) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  /** Takes one token if there is one; false means the call is throttled. */
  public take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
    return true;
  }
}
