/**
 * What only the embedded store has: the journal on disk and the lock of DATA_DIR. Behaviour shared
 * with every backend is in store.contract.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import { StoreLockedError } from '../../src/storage/embedded/lock';
import { dialogStatePrefix, StoreUnavailableError } from '../../src/storage/store';
import { newEscalation } from './store.contract';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const journal = (dir: string) => fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const stateKey = (conversationId: string) => `${dialogStatePrefix('zemigra', conversationId)}dialogState`;

async function withConversation(store: EmbeddedStore, id: string): Promise<string> {
  await store.conversations.create({ id, tokenHash: 'h', language: 'de', languageChosen: false });
  return id;
}


describe('EmbeddedStore journal', () => {
  it('reads message texts back from the journal after a compaction moved their lines, and after a restart', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await withConversation(store, 'session-keep');
    await withConversation(store, 'session-gone');
    for (let i = 1; i <= 3; i++) {
      await store.conversations.appendMessage('session-gone', { role: 'user', text: `weg ${i}`, language: 'de' });
      await store.conversations.appendMessage('session-keep', { role: 'user', text: `Frage ${i} – مرحبا`, language: 'de', sources: [{ title: 'BQ-Portal', url: 'https://www.bq-portal.de/' }] });
    }
    // Erasure rewrites the journal without the erased lines: every kept line moves.
    await store.conversations.erase('session-gone');
    await store.conversations.appendMessage('session-keep', { role: 'bot', text: 'Antwort', language: 'de' });
    const texts = async (s: EmbeddedStore) => (await s.conversations.listMessages('session-keep', 0, 10)).map((m) => m.text);
    const expected = ['Frage 1 – مرحبا', 'Frage 2 – مرحبا', 'Frage 3 – مرحبا', 'Antwort'];
    expect(await texts(store)).toEqual(expected);
    expect((await store.conversations.listMessages('session-keep', 1, 1))[0]).toMatchObject({ seq: 2, sources: [{ title: 'BQ-Portal' }] });
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect(await texts(reopened)).toEqual(expected);
    expect(journal(dir)).not.toContain('weg 1');
    await reopened.close();
  });

  it('replays every kind of record after a restart, with message cursors', async () => {
    const dir = tempDir();
    const first = new EmbeddedStore(dir);
    await withConversation(first, 'session-1');
    await first.conversations.appendMessage('session-1', { role: 'user', text: 'Hallo', language: 'de' });
    await first.conversations.appendMessage('session-1', { role: 'bot', text: 'Guten Tag', language: 'de' });
    await first.dialogState.write({ [stateKey('session-1')]: { step: 3 } });
    const advisor = await first.advisors.create({ email: 'Anna.Berg@Example.DE', name: 'Anna', role: 'advisor', passwordHash: 'scrypt$x' });
    await first.advisors.update(advisor.id, { disabled: true, name: 'Anna B.' });
    const created = await first.escalations.create(newEscalation('session-1', { priority: 'urgent' }));
    await first.escalations.claim(created.id, advisor.id);
    await first.escalations.addNote(created.id, { at: new Date().toISOString(), advisorId: advisor.id, text: 'called the Jobcenter' });
    await first.audit.append({ at: new Date().toISOString(), actorId: advisor.id, action: 'escalation.note', target: created.id });
    await first.close();

    const second = new EmbeddedStore(dir);
    expect((await second.conversations.listMessages('session-1', 0, 10)).map((m) => [m.seq, m.role, m.text])).toEqual([
      [1, 'user', 'Hallo'],
      [2, 'bot', 'Guten Tag'],
    ]);
    expect((await second.conversations.get('session-1'))?.lastSeq).toBe(2);
    expect((await second.conversations.appendMessage('session-1', { role: 'user', text: 'Danke', language: 'de' })).seq).toBe(3);
    expect(await second.dialogState.read([stateKey('session-1')])).toEqual({ [stateKey('session-1')]: { step: 3 } });
    expect(await second.advisors.getByEmail('anna.berg@example.de')).toMatchObject({ id: advisor.id, name: 'Anna B.', disabled: true });
    expect(await second.escalations.get(created.id)).toMatchObject({ status: 'assigned', advisorId: advisor.id, notes: [expect.objectContaining({ text: 'called the Jobcenter' })] });
    expect(await second.audit.list({ limit: 10 })).toEqual([expect.objectContaining({ action: 'escalation.note', target: created.id })]);
    await second.close();
  });

  it('drops a torn last line (a process killed mid-write) and goes on appending', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await withConversation(store, 'session-2');
    await store.conversations.appendMessage('session-2', { role: 'user', text: 'kept', language: 'en' });
    await store.close();
    fs.appendFileSync(path.join(dir, 'journal.jsonl'), '{"t":"message","d":{"conv');

    const reopened = new EmbeddedStore(dir);
    await reopened.conversations.appendMessage('session-2', { role: 'bot', text: 'after', language: 'en' });
    await reopened.close();
    const again = new EmbeddedStore(dir);
    expect((await again.conversations.listMessages('session-2', 0, 10)).map((m) => m.text)).toEqual(['kept', 'after']);
    await again.close();
  });

  it('compacts when dialog-state churn outgrows the data, losing nothing', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const created = await store.escalations.create(newEscalation(await withConversation(store, 'conv-notes')));
    await store.escalations.addNote(created.id, { at: new Date().toISOString(), advisorId: 'a1', text: 'called the Jobcenter' });
    // Compaction starts at 10,000 entries when they are more than twice the live data.
    for (let i = 0; i < 10_050; i++) await store.dialogState.write({ churn: { i } });
    await store.close();
    expect(journal(dir).trim().split('\n').length).toBeLessThan(200);

    const reopened = new EmbeddedStore(dir);
    expect(await reopened.escalations.get(created.id)).toMatchObject({ notes: [expect.objectContaining({ text: 'called the Jobcenter' })] });
    expect(await reopened.dialogState.read(['churn'])).toEqual({ churn: { i: 10_049 } });
    await reopened.close();
  });
});

// Personal data that is erased, closed or expired must leave the journal file too, not only memory.
describe('EmbeddedStore when the disk fails', () => {
  it('refuses writes with StoreUnavailableError while writes fail, applies nothing, and recovers afterwards', async () => {
    const dir = tempDir();
    let mode: 'ok' | 'full' | 'short' = 'ok';
    const write = (fd: number, text: string) => {
      if (mode === 'full') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      // A disk that fills up in the middle of a line: half of it reaches the file.
      if (mode === 'short') return fs.writeSync(fd, text.slice(0, Math.floor(text.length / 2)));
      return fs.writeSync(fd, text);
    };
    const store = new EmbeddedStore(dir, { write });
    await withConversation(store, 'disk-session');
    await store.conversations.appendMessage('disk-session', { role: 'user', text: 'eins', language: 'de' });

    for (const failure of ['full', 'short'] as const) {
      mode = failure;
      await expect(store.conversations.appendMessage('disk-session', { role: 'user', text: 'verloren', language: 'de' })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.conversations.update('disk-session', { language: 'en' })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect((await store.conversations.get('disk-session'))?.language).toBe('de');
      expect((await store.conversations.listMessages('disk-session', 0, 10)).map((m) => m.text)).toEqual(['eins']);
    }

    mode = 'ok';
    await store.conversations.appendMessage('disk-session', { role: 'user', text: 'zwei', language: 'de' });
    await store.close();
    const reopened = new EmbeddedStore(dir);
    expect((await reopened.conversations.listMessages('disk-session', 0, 10)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'eins'],
      [2, 'zwei'],
    ]);
    await reopened.close();
  });
});

describe('EmbeddedStore: removed data leaves the disk', () => {
  it('erasing a conversation removes its messages, dialog state and escalations from the journal', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await withConversation(store, 'secret-session');
    await store.conversations.appendMessage('secret-session', { role: 'user', text: 'meine Duldung läuft ab', language: 'de' });
    await store.dialogState.write({ [stateKey('secret-session')]: { step: 1 } });
    await store.escalations.create(newEscalation('secret-session', { status: 'callback', callbackContact: { kind: 'email', value: 'person@example.org' } }));

    expect(await store.conversations.erase('secret-session')).toBe(true);
    const onDisk = journal(dir);
    expect(onDisk).not.toContain('Duldung');
    expect(onDisk).not.toContain('secret-session');
    expect(onDisk).not.toContain('person@example.org');
    await store.close();
  });

  it('closing an escalation removes its callback contact from the journal, also after a restart', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const conv = await withConversation(store, 'conv-callback');
    const created = await store.escalations.create(newEscalation(conv, { status: 'callback', callbackContact: { kind: 'phone', value: '+49 391 555 0101' } }));
    await store.escalations.transition(created.id, ['callback'], { status: 'resolved', advisorId: 'advisor-1' });
    expect(journal(dir)).not.toContain('555 0101');
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect((await reopened.escalations.get(created.id))?.callbackContact).toBeUndefined();
    await reopened.close();
  });

  it('expire removes an old conversation with its messages, dialog state and escalations from the journal', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await withConversation(store, 'old-session');
    await store.conversations.appendMessage('old-session', { role: 'user', text: 'alte Aufenthaltsfrage', language: 'de' });
    await store.dialogState.write({ [stateKey('old-session')]: { step: 'old-step' } });
    await store.escalations.create(newEscalation('old-session', { status: 'callback', callbackContact: { kind: 'phone', value: '+49 391 555 0199' } }));
    await sleep(20);
    await withConversation(store, 'new-session');
    await store.conversations.appendMessage('new-session', { role: 'user', text: 'neue Frage', language: 'de' });

    expect(await store.expire((await store.conversations.get('new-session'))!.createdAt)).toEqual({ conversations: 1, messages: 1, escalations: 1 });
    const onDisk = journal(dir);
    for (const gone of ['old-session', 'Aufenthaltsfrage', 'old-step', '555 0199']) expect(onDisk).not.toContain(gone);
    expect(onDisk).toContain('neue Frage');
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect(await reopened.conversations.get('old-session')).toBeNull();
    expect((await reopened.conversations.listMessages('new-session', 0, 10)).map((m) => m.text)).toEqual(['neue Frage']);
    await reopened.close();
  });

  it('expire removes old messages and stale escalations of a conversation still in use from the journal', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await withConversation(store, 'live-session');
    await store.conversations.appendMessage('live-session', { role: 'user', text: 'alte Nachricht', language: 'de' });
    const stale = await store.escalations.create(newEscalation('live-session', { status: 'callback', callbackContact: { kind: 'email', value: 'stale@example.org' } }));
    await sleep(20);
    const recent = await store.conversations.appendMessage('live-session', { role: 'user', text: 'neue Nachricht', language: 'de' });

    expect(await store.expire(recent.createdAt)).toEqual({ conversations: 0, messages: 1, escalations: 1 });
    const onDisk = journal(dir);
    expect(onDisk).not.toContain('alte Nachricht');
    expect(onDisk).not.toContain('stale@example.org');
    expect(onDisk).toContain('neue Nachricht');
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect((await reopened.conversations.listMessages('live-session', 0, 10)).map((m) => [m.seq, m.text])).toEqual([[2, 'neue Nachricht']]);
    expect(await reopened.escalations.get(stale.id)).toBeNull();
    await reopened.close();
  });
});

describe('data directory lock', () => {
  it('refuses a second store on the same directory and frees it on close', async () => {
    const dir = tempDir();
    const first = new EmbeddedStore(dir);
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8').trim()).toBe(String(process.pid));
    expect(() => new EmbeddedStore(dir)).toThrow(StoreLockedError);
    await first.close();
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
    const second = new EmbeddedStore(dir);
    await second.close();
  });

  it('takes over a stale lock of a dead process, and one naming our own pid that we do not hold', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, '.lock'), `${dead}\n`);
    const store = new EmbeddedStore(dir);
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8').trim()).toBe(String(process.pid));
    await store.close();

    // After a container restart the service is pid 1 again: its own old lock must not lock it out.
    fs.writeFileSync(path.join(dir, '.lock'), `${process.pid}\n`);
    const again = new EmbeddedStore(dir);
    await again.close();
  });

  it('refuses while a live process holds the lock', () => {
    const dir = tempDir();
    // The parent of this test process is alive for the whole test.
    fs.writeFileSync(path.join(dir, '.lock'), `${process.ppid}\n`);
    expect(() => new EmbeddedStore(dir)).toThrow(/in use by another process \(pid \d+\)/);
  });
});
