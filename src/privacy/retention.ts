/**
 * Storage limitation (GDPR Art. 5(1)(e)): deletes conversations, messages and escalations older than
 * RETENTION_DAYS through `Store.expire`, once at start-up and then every hour. What exactly expires
 * (and the cascade) is the store's job; this class only decides when and with which cutoff.
 */
import type { Logger } from '../logging/logger';
import type { ExpiryResult, Store } from '../storage/store';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionSweeperOptions {
  store: Pick<Store, 'expire'>;
  retentionDays: number;
  logger: Logger;
  /** The clock the cutoff is computed from; tests move it forward instead of waiting for days. */
  now?: () => Date;
  /** Hourly by default: the data is gone at most an hour after its retention ended. */
  intervalMs?: number;
}

export class RetentionSweeper {
  private readonly now: () => Date;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ExpiryResult | null> | undefined;
  private stopped = false;

  constructor(private readonly options: RetentionSweeperOptions) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? HOUR_MS;
  }

  /**
   * Sweeps now and schedules the hourly sweep. Resolves when the first sweep is done (it never
   * rejects), so a service started after a long pause does not serve data that should be gone.
   */
  async start(): Promise<void> {
    // A start that comes late (a store that answered only after the service closed) must not revive it.
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    // The sweep must never be the reason the process stays alive.
    this.timer.unref();
    await this.sweep();
  }

  /** Stops the timer and waits for a sweep in flight, so the store is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep; null when the store failed (logged, retried at the next tick). Overlapping calls share one sweep. */
  sweep(): Promise<ExpiryResult | null> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<ExpiryResult | null> {
    const { store, retentionDays, logger } = this.options;
    const cutoff = new Date(this.now().getTime() - retentionDays * DAY_MS).toISOString();
    try {
      const removed = await store.expire(cutoff);
      const counts = { conversations: removed.conversations, messages: removed.messages, escalations: removed.escalations };
      // Counts only: ids would tie the log to people whose data was just deleted.
      if (counts.conversations || counts.messages || counts.escalations) logger.info({ retentionDays, ...counts }, 'retention: expired data deleted');
      else logger.debug({ retentionDays }, 'retention: nothing expired');
      return counts;
    } catch (error) {
      // Name only: driver messages can quote keys or values of the records involved.
      logger.warn({ retentionDays, err: { name: (error as Error | undefined)?.name ?? 'Error' } }, 'retention sweep failed; trying again at the next tick');
      return null;
    }
  }
}
