import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashToken } from '../../src/dialog/middleware/session.middleware';
import { RetentionSweeper } from '../../src/privacy/retention';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import type { ExpiryResult } from '../../src/storage/store';
import { capturingLogger } from '../helpers/log-capture';
import { startService } from '../helpers/service';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-retention-'));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An old conversation (with an escalation), then a moment `between`, then a fresh conversation: a
 * clock at `between + RETENTION_DAYS` must remove the first and keep the second. The store stamps
 * real times, so the pauses make sure the three instants differ.
 */
async function seed(store: EmbeddedStore) {
  await store.conversations.create({ id: 'old-session', tokenHash: hashToken('old-token-0123456789abcdef'), language: 'de', languageChosen: false });
  await store.conversations.appendMessage('old-session', { role: 'user', text: 'Meine alte Frage zur Duldung', language: 'de' });
  await store.conversations.appendMessage('old-session', { role: 'bot', text: 'Eine alte Antwort', language: 'de' });
  const escalation = await store.escalations.create({ conversationId: 'old-session', reason: 'requested', priority: 'normal', language: 'de', intents: [], entities: [] });
  await pause(5);
  const between = Date.now();
  await pause(5);
  await store.conversations.create({ id: 'fresh-session', tokenHash: hashToken('fresh-token-0123456789abcdef'), language: 'de', languageChosen: false });
  await store.conversations.appendMessage('fresh-session', { role: 'user', text: 'Meine neue Frage', language: 'de' });
  return { between, escalationId: escalation.id };
}

describe('RetentionSweeper on the embedded store', () => {
  it('deletes what is older than RETENTION_DAYS, keeps fresh data, and logs counts only', async () => {
    const store = new EmbeddedStore(tempDir());
    try {
      const { between, escalationId } = await seed(store);
      const capture = capturingLogger('debug');
      let now = new Date(between + 30 * DAY_MS - HOUR_MS);
      const sweeper = new RetentionSweeper({ store, retentionDays: 30, logger: capture.logger, now: () => now });

      // An hour before the old conversation's retention ends: nothing goes.
      expect(await sweeper.sweep()).toEqual({ conversations: 0, messages: 0, escalations: 0 });
      expect(await store.conversations.get('old-session')).not.toBeNull();

      now = new Date(between + 30 * DAY_MS);
      expect(await sweeper.sweep()).toEqual({ conversations: 1, messages: 2, escalations: 1 });
      expect(await store.conversations.get('old-session')).toBeNull();
      expect(await store.conversations.listMessages('old-session', 0, 10)).toEqual([]);
      expect(await store.escalations.get(escalationId)).toBeNull();
      expect(await store.conversations.get('fresh-session')).not.toBeNull();
      expect((await store.conversations.listMessages('fresh-session', 0, 10)).map((m) => m.text)).toEqual(['Meine neue Frage']);

      const info = capture.lines().filter((l) => l.msg === 'retention: expired data deleted');
      expect(info).toEqual([{ level: 30, time: expect.any(Number), msg: 'retention: expired data deleted', retentionDays: 30, conversations: 1, messages: 2, escalations: 1 }]);
      for (const secret of ['old-session', 'fresh-session', escalationId, 'Duldung', 'Frage']) expect(capture.text()).not.toContain(secret);
    } finally {
      await store.close();
    }
  });
});

describe('RetentionSweeper schedule and failures', () => {
  afterEach(() => jest.useRealTimers());

  it('sweeps at start-up and then every hour with the cutoff RETENTION_DAYS before the clock; stop ends it', async () => {
    jest.useFakeTimers();
    const start = Date.parse('2026-05-01T12:00:00.000Z');
    jest.setSystemTime(start);
    const cutoffs: string[] = [];
    const store = { expire: async (cutoff: string): Promise<ExpiryResult> => (cutoffs.push(cutoff), { conversations: 0, messages: 0, escalations: 0 }) };
    const sweeper = new RetentionSweeper({ store, retentionDays: 90, logger: capturingLogger().logger, now: () => new Date(Date.now()) });

    await sweeper.start();
    expect(cutoffs).toEqual([new Date(start - 90 * DAY_MS).toISOString()]);
    await jest.advanceTimersByTimeAsync(HOUR_MS);
    await jest.advanceTimersByTimeAsync(HOUR_MS);
    expect(cutoffs).toEqual([0, 1, 2].map((h) => new Date(start + h * HOUR_MS - 90 * DAY_MS).toISOString()));

    await sweeper.stop();
    await jest.advanceTimersByTimeAsync(5 * HOUR_MS);
    expect(cutoffs).toHaveLength(3);
    // A start after the service closed (a store that answered too late) stays without effect.
    await sweeper.start();
    await jest.advanceTimersByTimeAsync(2 * HOUR_MS);
    expect(cutoffs).toHaveLength(3);
  });

  it('only logs a warning when the store fails (no ids, no driver message) and tries again at the next tick', async () => {
    jest.useFakeTimers();
    const capture = capturingLogger();
    let fail = true;
    let calls = 0;
    const store = {
      expire: async (): Promise<ExpiryResult> => {
        calls++;
        if (fail) throw new Error('E11000 duplicate key: { conversationId: "leaked-session-id" }');
        return { conversations: 2, messages: 7, escalations: 0 };
      },
    };
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const sweeper = new RetentionSweeper({ store, retentionDays: 90, logger: capture.logger });
      await expect(sweeper.start()).resolves.toBeUndefined();
      await jest.advanceTimersByTimeAsync(HOUR_MS);
      expect(calls).toBe(2);
      fail = false;
      await jest.advanceTimersByTimeAsync(HOUR_MS);
      expect(calls).toBe(3);
      await sweeper.stop();

      const lines = capture.lines();
      expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['retention sweep failed; trying again at the next tick', 'retention sweep failed; trying again at the next tick']);
      expect(lines.at(-1)).toMatchObject({ msg: 'retention: expired data deleted', conversations: 2, messages: 7, escalations: 0 });
      expect(capture.text()).not.toContain('leaked-session-id');
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('the service sweeps at start-up', () => {
  it('after RETENTION_DAYS the conversation is gone from the API and the disk; fresh data is kept', async () => {
    const dataDir = tempDir();
    const store = new EmbeddedStore(dataDir);
    const { between } = await seed(store);
    await store.close();

    const running = await startService({ DATA_DIR: dataDir, RETENTION_DAYS: '30' }, { now: () => new Date(between + 30 * DAY_MS) });
    try {
      const messages = (id: string, token: string) => fetch(`${running.baseUrl}/api/v1/chat/${id}/messages`, { headers: { authorization: `Bearer ${token}` } });
      const old = await messages('old-session', 'old-token-0123456789abcdef');
      expect(old.status).toBe(404);
      expect(((await old.json()) as any).error.code).toBe('not_found');
      const fresh = await messages('fresh-session', 'fresh-token-0123456789abcdef');
      expect(fresh.status).toBe(200);
      expect(((await fresh.json()) as any).messages.map((m: { text: string }) => m.text)).toEqual(['Meine neue Frage']);
      expect(fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8')).not.toContain('Meine alte Frage');
    } finally {
      await running.close();
    }
  }, 60_000);
});
