// SRP challenges between InitiateAuth and RespondToAuthChallenge, keyed by the SECRET_BLOCK handed to the
// client (Cognito sends no Session with PASSWORD_VERIFIER: the secret block is the session). Each is
// answered once, lives three minutes (Cognito's sign-in session), and there are never more than a bound.
import { randomBytes } from 'node:crypto';

export const CHALLENGE_TTL_MS = 3 * 60 * 1000;
export const MAX_PENDING_CHALLENGES = 10_000;

export interface PendingChallenge {
  /** The internal username; for an unknown user, the stable fake id the challenge showed. */
  userId: string;
  /** False for the simulated challenge given for a user that does not exist. */
  userExists: boolean;
  A: bigint;
  B: bigint;
  b: bigint;
  verifier: string;
  createdAt: number;
}

export class PendingChallenges {
  // A Map iterates in insertion order: the first entries are the oldest.
  private readonly pending = new Map<string, PendingChallenge>();

  constructor(private readonly ttlMs = CHALLENGE_TTL_MS, private readonly max = MAX_PENDING_CHALLENGES) {}

  /** Stores the challenge and returns its SECRET_BLOCK. */
  add(challenge: PendingChallenge): string {
    this.sweep(challenge.createdAt);
    while (this.pending.size >= this.max) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    const secretBlock = randomBytes(96).toString('base64');
    this.pending.set(secretBlock, challenge);
    return secretBlock;
  }

  /** The challenge for a SECRET_BLOCK, removed: a second answer finds nothing. */
  take(secretBlock: string, now: number): PendingChallenge | undefined {
    const challenge = this.pending.get(secretBlock);
    this.pending.delete(secretBlock);
    if (!challenge || now - challenge.createdAt > this.ttlMs) return undefined;
    return challenge;
  }

  get size(): number {
    return this.pending.size;
  }

  private sweep(now: number): void {
    for (const [key, challenge] of this.pending) {
      if (now - challenge.createdAt <= this.ttlMs) break;
      this.pending.delete(key);
    }
  }
}
