// Cognito's lockout after failed password sign-ins: five failures are free; after the n-th the user is locked
// out for 2^(n-5) s, at most about 15 minutes. An attempt during a lockout (even with the right password) gets
// NotAuthorizedException "Password attempts exceeded" and does not count. A success once the lockout has passed,
// or 15 minutes without any attempt, starts again from zero. Unknown usernames are locked out the same way, so
// the lockout does not tell them from users who exist. Kept in memory, for a bounded number of usernames.
import { notAuthorized } from './errors.ts';

export const FREE_FAILURES = 5;
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
export const QUIET_RESET_MS = 15 * 60 * 1000;
export const MAX_TRACKED_USERNAMES = 10_000;

export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';

interface Attempts {
  failures: number;
  lockedUntil: number;
  lastAttemptAt: number;
}

export class SignInLockout {
  // A Map iterates in insertion order; each attempt re-inserts its entry, so the first is the least recent.
  private readonly attempts = new Map<string, Attempts>();

  constructor(private readonly max = MAX_TRACKED_USERNAMES) {}

  /** Throws "Password attempts exceeded" while `userId` is locked out; otherwise records the attempt's time. */
  check(userId: string, now: number): void {
    const entry = this.current(userId, now);
    if (!entry) return;
    this.touch(userId, { ...entry, lastAttemptAt: now });
    if (now < entry.lockedUntil) throw notAuthorized(PASSWORD_ATTEMPTS_EXCEEDED);
  }

  failed(userId: string, now: number): void {
    const failures = (this.current(userId, now)?.failures ?? 0) + 1;
    const lockedUntil = failures < FREE_FAILURES ? 0 : now + Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
    this.touch(userId, { failures, lockedUntil, lastAttemptAt: now });
  }

  succeeded(userId: string): void {
    this.attempts.delete(userId);
  }

  get size(): number {
    return this.attempts.size;
  }

  private current(userId: string, now: number): Attempts | undefined {
    const entry = this.attempts.get(userId);
    if (entry && now - entry.lastAttemptAt >= QUIET_RESET_MS && now >= entry.lockedUntil) {
      this.attempts.delete(userId);
      return undefined;
    }
    return entry;
  }

  private touch(userId: string, entry: Attempts): void {
    this.attempts.delete(userId);
    while (this.attempts.size >= this.max) {
      const oldest = this.attempts.keys().next().value;
      if (oldest === undefined) break;
      this.attempts.delete(oldest);
    }
    this.attempts.set(userId, entry);
  }
}
