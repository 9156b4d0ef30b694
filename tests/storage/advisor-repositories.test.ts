import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import { StoreLockedError } from '../../src/storage/embedded/lock';
import { DuplicateEmailError, OpenEscalationExistsError, type NewEscalation } from '../../src/storage/store';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-store-'));

async function withConversation(store: EmbeddedStore, id: string): Promise<string> {
  await store.conversations.create({ id, tokenHash: 'h', language: 'de', languageChosen: false });
  return id;
}

const escalation = (conversationId: string, over: Partial<NewEscalation> = {}): NewEscalation => ({
  conversationId,
  reason: 'requested',
  priority: 'normal',
  language: 'de',
  intents: ['recognition.need'],
  entities: [{ type: 'profession', value: 'nurse' }],
  ...over,
});

describe('advisors repository', () => {
  it('lower-cases emails, refuses duplicates with a typed error, updates and survives a restart', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const created = await store.advisors.create({ email: 'Anna.Berg@Example.DE', name: 'Anna', role: 'advisor', passwordHash: 'scrypt$x' });
    expect(created).toMatchObject({ email: 'anna.berg@example.de', disabled: false, role: 'advisor' });
    await expect(store.advisors.create({ email: 'anna.berg@EXAMPLE.de', name: 'Other', role: 'admin', passwordHash: 'h' })).rejects.toBeInstanceOf(DuplicateEmailError);
    expect((await store.advisors.getByEmail('ANNA.BERG@example.de'))?.id).toBe(created.id);
    const updated = await store.advisors.update(created.id, { disabled: true, role: 'admin', name: 'Anna B.' });
    expect(updated).toMatchObject({ disabled: true, role: 'admin', name: 'Anna B.', email: 'anna.berg@example.de' });
    expect(await store.advisors.update('nope', { disabled: true })).toBeNull();
    // Returned objects are copies: changing them changes nothing stored.
    updated!.name = 'changed';
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect(await reopened.advisors.list()).toEqual([expect.objectContaining({ id: created.id, name: 'Anna B.', disabled: true, role: 'admin' })]);
    expect(await reopened.advisors.get('nope')).toBeNull();
    await reopened.close();
  });
});

describe('escalations repository', () => {
  it('lists urgent first, then oldest first, and filters by status', async () => {
    const store = new EmbeddedStore(tempDir());
    const ids: Record<string, string> = {};
    for (const [name, priority] of [['normal-1', 'normal'], ['urgent-1', 'urgent'], ['normal-2', 'normal'], ['urgent-2', 'urgent']] as const) {
      ids[name] = (await store.escalations.create(escalation(await withConversation(store, `conv-${name}`), { priority }))).id;
      await new Promise((r) => setTimeout(r, 2));
    }
    const order = (await store.escalations.list()).map((e) => e.id);
    expect(order).toEqual([ids['urgent-1'], ids['urgent-2'], ids['normal-1'], ids['normal-2']]);
    await store.escalations.claim(ids['urgent-1'], 'advisor-1');
    expect((await store.escalations.list({ status: 'queued' })).map((e) => e.id)).toEqual([ids['urgent-2'], ids['normal-1'], ids['normal-2']]);
    expect((await store.escalations.list({ status: 'assigned' })).map((e) => e.id)).toEqual([ids['urgent-1']]);
    await store.close();
  });

  it('keeps at most one open escalation per conversation, even for concurrent creates', async () => {
    const store = new EmbeddedStore(tempDir());
    const conv = await withConversation(store, 'conv-once');
    const results = await Promise.allSettled([store.escalations.create(escalation(conv)), store.escalations.create(escalation(conv, { priority: 'urgent' }))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(OpenEscalationExistsError);
    const first = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>).value;
    expect(rejected.reason.existing.id).toBe(first.id);
    await store.escalations.transition(first.id, ['queued'], { status: 'returned' });
    await expect(store.escalations.create(escalation(conv))).resolves.toMatchObject({ status: 'queued' });
    await store.close();
  });

  it('claims atomically: of 50 concurrent claims exactly one wins', async () => {
    const store = new EmbeddedStore(tempDir());
    const { id } = await store.escalations.create(escalation(await withConversation(store, 'conv-claim')));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.escalations.claim(id, `advisor-${i}`)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'status')).toHaveLength(49);
    const stored = await store.escalations.get(id);
    expect(stored).toMatchObject({ status: 'assigned', advisorId: winners[0].ok ? winners[0].escalation.advisorId : 'x' });
    expect(stored?.claimedAt).toBeDefined();
    expect(await store.escalations.claim('missing', 'a')).toEqual({ ok: false, reason: 'not_found' });
    await store.close();
  });

  it('transitions by compare-and-set and deletes the callback contact when the case closes', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const conv = await withConversation(store, 'conv-callback');
    const created = await store.escalations.create(escalation(conv, { status: 'callback', callbackContact: { kind: 'phone', value: '+49 391 555 0101' } }));
    expect(created.status).toBe('callback');
    expect(await store.escalations.findOpenByConversation(conv)).toMatchObject({ id: created.id });

    const wrong = await store.escalations.transition(created.id, ['assigned'], { status: 'resolved' });
    expect(wrong).toMatchObject({ ok: false, reason: 'status' });
    const done = await store.escalations.transition(created.id, ['callback'], { status: 'resolved', advisorId: 'advisor-1' });
    expect(done.ok && done.escalation.callbackContact).toBeUndefined();
    expect(done.ok && done.escalation.closedAt).toBeDefined();
    expect(await store.escalations.findOpenByConversation(conv)).toBeNull();
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).not.toContain('555 0101');
    // Again: the compare-and-set refuses the second close.
    expect(await store.escalations.transition(created.id, ['callback'], { status: 'returned' })).toMatchObject({ ok: false, reason: 'status' });
    await store.close();

    const reopened = new EmbeddedStore(dir);
    expect((await reopened.escalations.get(created.id))?.callbackContact).toBeUndefined();
    await reopened.close();
  });

  it('keeps notes, replays after a restart and survives compaction', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const conv = await withConversation(store, 'conv-notes');
    const created = await store.escalations.create(escalation(conv, { priority: 'urgent', reason: 'urgent' }));
    await store.escalations.addNote(created.id, { at: new Date().toISOString(), advisorId: 'a1', text: 'called the Jobcenter' });
    await store.audit.append({ at: new Date().toISOString(), actorId: 'a1', action: 'escalation.note', target: created.id });
    expect(await store.escalations.addNote('missing', { at: '', advisorId: 'a1', text: 'x' })).toBeNull();
    // Enough dialog-state churn to trigger a compaction (10,000 entries, twice the live data).
    for (let i = 0; i < 10_050; i++) await store.dialogState.write({ churn: { i } });
    await store.close();
    const lines = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(200);

    const reopened = new EmbeddedStore(dir);
    expect(await reopened.escalations.get(created.id)).toMatchObject({ priority: 'urgent', notes: [expect.objectContaining({ text: 'called the Jobcenter' })] });
    expect(await reopened.audit.list({ limit: 10 })).toEqual([expect.objectContaining({ action: 'escalation.note', target: created.id })]);
    await reopened.close();
  });

  it('erases the escalations of an erased conversation', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    const conv = await withConversation(store, 'conv-erase');
    const created = await store.escalations.create(escalation(conv, { status: 'callback', callbackContact: { kind: 'email', value: 'person@example.org' } }));
    await store.conversations.erase(conv);
    expect(await store.escalations.get(created.id)).toBeNull();
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).not.toContain('person@example.org');
    await expect(store.escalations.create(escalation('no-such-conversation'))).rejects.toThrow();
    await store.close();
  });
});

describe('audit repository', () => {
  it('lists newest first with a limit and an actor filter', async () => {
    const store = new EmbeddedStore(tempDir());
    for (let i = 0; i < 5; i++) await store.audit.append({ at: new Date().toISOString(), actorId: i % 2 ? 'odd' : 'even', action: 'login.success', details: { i } });
    expect((await store.audit.list({ limit: 3 })).map((e) => e.details?.i)).toEqual([4, 3, 2]);
    expect((await store.audit.list({ limit: 10, actorId: 'odd' })).map((e) => e.details?.i)).toEqual([3, 1]);
    await store.close();
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
