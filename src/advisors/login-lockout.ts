/**
 * Locks an account's login after repeated failures in a row, whoever sends them and from wherever:
 * the per-IP and per-email rate limits slow guessing down, the lock-out stops a slow, distributed
 * guesser aimed at one account. In memory (one process); a restart forgets the counts.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
}

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the account may try again; 0 when it is not locked. */
  lockedFor(email: string): number {
    const entry = this.entries.get(email);
    if (!entry || entry.lockedUntil === 0) return 0;
    const left = entry.lockedUntil - this.now();
    if (left > 0) return left;
    // The lock ran out: a fresh series of attempts, so one more failure does not lock it again.
    this.entries.delete(email);
    return 0;
  }

  /** Counts a failure; true when this failure locked the account. */
  recordFailure(email: string): boolean {
    const entry = this.entries.get(email) ?? { failures: 0, lockedUntil: 0 };
    entry.failures++;
    const locks = entry.failures >= this.policy.maxFailures && entry.lockedUntil === 0;
    if (locks) entry.lockedUntil = this.now() + this.policy.lockMs;
    this.entries.set(email, entry);
    this.prune();
    return locks;
  }

  recordSuccess(email: string): void {
    this.entries.delete(email);
  }

  /** An admin lifts the lock (and the count of failures) of an account. */
  unlock(email: string): void {
    this.entries.delete(email);
  }

  /** Keeps memory bounded under a flood of made-up emails: expired locks and stale counts go. */
  private prune(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [email, entry] of this.entries) if (entry.lockedUntil === 0 || entry.lockedUntil <= now) this.entries.delete(email);
  }
}
