import net from 'node:net';
import { isConnectivityError, reportingUnavailable } from '../../../src/storage/mongodb/connection';
import { MongoStore } from '../../../src/storage/mongodb/mongo-store';
import { StoreUnavailableError } from '../../../src/storage/store';

/** A port on which nothing listens: MongoDB "down", refused by the real TCP stack. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('MongoDB connection while MongoDB is down', () => {
  it('keeps retrying with growing delays, reports unreachable, and answers operations with StoreUnavailableError', async () => {
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    const logger = { info: () => undefined, warn: (fields: { attempt: number; delayMs: number }) => retries.push({ attempt: fields.attempt, delayMs: fields.delayMs }) };
    const store = MongoStore.open(`mongodb://127.0.0.1:${await closedPort()}/zemigra-down`, {
      retentionDays: 90,
      logger: logger as never,
      serverSelectionTimeoutMS: 100,
      initialRetryDelayMs: 20,
      maxRetryDelayMs: 80,
    });
    try {
      await expect(store.conversations.get('some-session')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.escalations.claim('e1', 'a1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.isReachable()).resolves.toBe(false);
      await waitFor(() => retries.length >= 4);
      expect(retries.slice(0, 4).map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
      expect(retries.slice(0, 4).map((r) => r.delayMs)).toEqual([20, 40, 80, 80]);
    } finally {
      await store.close();
    }
    const after = retries.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(retries.length).toBeLessThanOrEqual(after + 1);
  });

  it('gives up waiting in connect() after its timeout, so a CLI does not hang', async () => {
    await expect(MongoStore.connect(`mongodb://127.0.0.1:${await closedPort()}/zemigra-down`, { retentionDays: 90, serverSelectionTimeoutMS: 100, timeoutMs: 400 })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('tells connectivity errors from others: only those become 503', async () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(isConnectivityError(named('MongoServerSelectionError'))).toBe(true);
    expect(isConnectivityError(named('MongoNetworkError'))).toBe(true);
    expect(isConnectivityError(Object.assign(named('MongoServerError'), { errorLabels: ['RetryableWriteError'] }))).toBe(true);
    expect(isConnectivityError(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    expect(isConnectivityError(named('ValidationError'))).toBe(false);
    expect(isConnectivityError('down')).toBe(false);
    await expect(reportingUnavailable(() => Promise.reject(named('MongoNetworkTimeoutError')))).rejects.toBeInstanceOf(StoreUnavailableError);
    const bug = new TypeError('bug');
    await expect(reportingUnavailable(() => Promise.reject(bug))).rejects.toBe(bug);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
