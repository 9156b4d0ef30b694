import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import type { Store } from '../../src/storage/store';
import { describeStoreContract } from './store.contract';

describeStoreContract('embedded store', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-contract-'));
  const store = new EmbeddedStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** What this suite needs of src/storage/mongodb/mongo-store.ts. */
interface MongoStoreModule {
  MongoStore: {
    connect(uri: string, options: { retentionDays: number }): Promise<Store & { dropDatabaseForTests(): Promise<void> }>;
  };
}

const mongoUri = process.env.MONGODB_URI;
if (mongoUri) {
  describeStoreContract('MongoDB store', async () => {
    // Required here, not imported: the suite must compile and run without MongoDB (and before the module existed).
    const { MongoStore } = require('../../src/storage/mongodb/mongo-store') as MongoStoreModule;
    const store = await MongoStore.connect(mongoUri, { retentionDays: 90 });
    return {
      store,
      cleanup: async () => {
        await store.dropDatabaseForTests();
        await store.close();
      },
    };
  });
}
