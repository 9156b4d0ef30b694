import mongoose, { type Connection } from 'mongoose';
import { StoreUnavailableError } from '../store';

/**
 * One MongoDB connection that keeps trying. The MongoDB driver reconnects by itself once it was
 * connected, but not after a failed first connect: that retry (with capped exponential backoff) is
 * ours, so the service can start while MongoDB is still down and becomes ready when it comes up.
 */
export interface ConnectionEvents {
  /** Connected for the first time (or again after the first attempts failed). */
  onConnected(): Promise<void> | void;
  /** A failed attempt; `delayMs` until the next one. Only the error's name: URIs can hold passwords. */
  onRetry(attempt: number, delayMs: number, errorName: string): void;
}

export interface ConnectionOptions {
  /** How long one operation waits for a reachable server before it fails (then: 503). */
  serverSelectionTimeoutMS?: number;
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export class RetryingConnection {
  readonly connection: Connection;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private attempts = 0;

  constructor(
    private readonly uri: string,
    private readonly events: ConnectionEvents,
    private readonly options: ConnectionOptions = {},
  ) {
    this.connection = mongoose.createConnection();
    // Every filter value is data unless our own code marks an operator with mongoose.trusted():
    // a client-sent { "$gt": "" } can never become a query operator.
    this.connection.set('sanitizeFilter', true);
    // The driver reports connectivity errors through operations; this only keeps an 'error' event
    // from becoming an uncaught exception.
    this.connection.on('error', () => undefined);
  }

  start(): void {
    void this.attempt();
  }

  get connected(): boolean {
    return this.connection.readyState === mongoose.ConnectionStates.connected;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.connection.close(true).catch(() => undefined);
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    this.attempts++;
    try {
      await this.connection.openUri(this.uri, {
        serverSelectionTimeoutMS: this.options.serverSelectionTimeoutMS ?? 5_000,
        autoIndex: false,
        autoCreate: false,
        bufferCommands: false,
      });
      if (this.closed) return;
      await this.events.onConnected();
    } catch (error) {
      if (this.closed) return;
      const initial = this.options.initialRetryDelayMs ?? 500;
      const delayMs = Math.min(this.options.maxRetryDelayMs ?? 30_000, initial * 2 ** Math.min(this.attempts - 1, 16));
      this.events.onRetry(this.attempts, delayMs, (error as Error)?.name ?? 'Error');
      // A half-open client from the failed attempt must not linger next to the next one.
      await this.connection.close(true).catch(() => undefined);
      this.timer = setTimeout(() => void this.attempt(), delayMs);
      this.timer.unref();
    }
  }
}

const CONNECTIVITY_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/** True for errors that mean "MongoDB is not reachable now", as opposed to a bug or a refused write. */
export function isConnectivityError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (CONNECTIVITY_ERRORS.has(error.name)) return true;
  // bufferCommands is off: mongoose refuses operations on a connection that is not open yet.
  if (error.name === 'MongooseError' && /initial connection|not connected|connection.*closed/i.test(error.message)) return true;
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  return Array.isArray(labels) && (labels.includes('RetryableWriteError') || labels.includes('ResetPool'));
}

/** Runs a store operation; connectivity failures become StoreUnavailableError (503), everything else passes. */
export async function reportingUnavailable<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isConnectivityError(error)) throw new StoreUnavailableError(error);
    throw error;
  }
}
