import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import { dialogStatePrefix } from '../../src/storage/store';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-store-'));

describe('EmbeddedStore', () => {
  it('keeps conversations and messages across a restart, in order, with cursors', async () => {
    const dir = tempDir();
    const first = new EmbeddedStore(dir);
    await first.conversations.create({ id: 'session-1', tokenHash: 'h', language: null, languageChosen: false });
    await first.conversations.appendMessage('session-1', { role: 'user', text: 'Hallo', language: 'de' });
    await first.conversations.appendMessage('session-1', { role: 'bot', text: 'Guten Tag', language: 'de' });
    await first.close();

    const second = new EmbeddedStore(dir);
    const messages = await second.conversations.listMessages('session-1', 0, 10);
    expect(messages.map((m) => [m.seq, m.role, m.text])).toEqual([
      [1, 'user', 'Hallo'],
      [2, 'bot', 'Guten Tag'],
    ]);
    expect(await second.conversations.listMessages('session-1', 1, 10)).toHaveLength(1);
    expect((await second.conversations.get('session-1'))?.lastSeq).toBe(2);
    await second.close();
  });

  it('drops a torn last line (a process killed mid-write) and goes on appending', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await store.conversations.create({ id: 'session-2', tokenHash: 'h', language: 'en', languageChosen: true });
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

  it('erases a conversation, its messages and its dialog state from the disk', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await store.conversations.create({ id: 'secret-session', tokenHash: 'h', language: 'de', languageChosen: false });
    await store.conversations.appendMessage('secret-session', { role: 'user', text: 'meine Duldung läuft ab', language: 'de' });
    const stateKey = `${dialogStatePrefix('zemigra', 'secret-session')}dialogState`;
    await store.dialogState.write({ [stateKey]: { step: 1 } });

    expect(await store.conversations.erase('secret-session')).toBe(true);
    expect(await store.conversations.get('secret-session')).toBeNull();
    expect(await store.dialogState.read([stateKey])).toEqual({});
    const onDisk = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(onDisk).not.toContain('Duldung');
    expect(onDisk).not.toContain('secret-session');
    expect(await store.conversations.erase('secret-session')).toBe(false);
    await store.close();
  });

  it('stores dialog state as copies, not shared objects', async () => {
    const store = new EmbeddedStore(tempDir());
    const value = { step: 1 };
    await store.dialogState.write({ key: value });
    value.step = 2;
    expect(await store.dialogState.read(['key'])).toEqual({ key: { step: 1 } });
    await store.close();
  });
});
