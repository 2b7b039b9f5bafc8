// Rekognition's per-account quota of transactions per second, for the local endpoint: a token bucket that holds at
// most one second of calls and refills continuously, so N calls in a burst pass and the (N+1)th within the same
// second does not. Pure: the clock is injected.

export interface RateLimiter {
  /** True when a call may go ahead now (and counts it); false when it is over the quota. */
  tryAcquire(): boolean;
  /** Calls refused so far. */
  readonly refused: number;
}

export function tokenBucket(ratePerSecond: number, nowMs: () => number = () => performance.now()): RateLimiter {
  if (!(ratePerSecond > 0)) {
    throw new Error(`a rate limit needs a positive rate, got ${ratePerSecond}`);
  }
  const capacity = ratePerSecond;
  let tokens = capacity;
  let refilledAt = nowMs();
  let refused = 0;
  return {
    tryAcquire() {
      const now = nowMs();
      tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * ratePerSecond);
      refilledAt = now;
      if (tokens < 1) {
        refused += 1;
        return false;
      }
      tokens -= 1;
      return true;
    },
    get refused() {
      return refused;
    },
  };
}
