import type { Logger } from '../logging/logger';
import { EmbeddedStore } from './embedded/embedded-store';
import type { Store } from './store';

export interface OpenedStore {
  store: Store;
  /** Resolves once the store has answered for the first time (at once for the embedded store). */
  ready: Promise<void>;
}

export interface StoreSettings {
  MONGODB_URI?: string;
  DATA_DIR: string;
  STORE_FSYNC: boolean;
  RETENTION_DAYS: number;
}

/**
 * MongoDB when MONGODB_URI is set, the embedded store otherwise. MongoDB is opened without waiting:
 * the service starts while it is down (/readyz says 503) and becomes ready when it answers.
 */
export function openStore(settings: StoreSettings, logger: Logger, journalWrite?: (fd: number, text: string) => number): OpenedStore {
  if (settings.MONGODB_URI) {
    // Loaded only when used: mongoose and its driver take about 30 MB of memory the embedded store does not need.
    const { MongoStore } = require('./mongodb/mongo-store') as typeof import('./mongodb/mongo-store');
    const store = MongoStore.open(settings.MONGODB_URI, { retentionDays: settings.RETENTION_DAYS, logger });
    return { store, ready: store.ready() };
  }
  return { store: new EmbeddedStore(settings.DATA_DIR, { fsync: settings.STORE_FSYNC, write: journalWrite }), ready: Promise.resolve() };
}
