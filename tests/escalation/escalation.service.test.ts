import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../src/advisors/audit';
import { EscalationEvents, type EscalationEvent } from '../../src/escalation/escalation-events';
import { EscalationService } from '../../src/escalation/escalation.service';
import type { PersonDelivery } from '../../src/escalation/person-delivery';
import { AppError } from '../../src/errors/app-error';
import { createLogger } from '../../src/logging/logger';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import type { Advisor, NewEscalation } from '../../src/storage/store';

function setup(delivery: Partial<PersonDelivery> = {}) {
  const store = new EmbeddedStore(fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-esc-')));
  const calls: unknown[][] = [];
  const events = new EscalationEvents();
  const published: EscalationEvent[] = [];
  events.subscribe((event) => published.push(event));
  const service = new EscalationService({
    escalations: store.escalations,
    conversations: store.conversations,
    audit: new AuditLog(store.audit),
    delivery: {
      deliver: async (...args) => void calls.push(['deliver', ...args]),
      takenOver: async (...args) => void calls.push(['takenOver', ...args]),
      handBack: async (...args) => void calls.push(['handBack', ...args]),
      ...delivery,
    },
    events,
    defaultLanguage: 'de',
    logger: createLogger('silent'),
  });
  let n = 0;
  const advisor = async (role: Advisor['role'] = 'advisor') => store.advisors.create({ email: `a${n++}@example.de`, name: 'A', role, passwordHash: 'x' });
  const open = async (over: Partial<NewEscalation> = {}) => {
    const id = `conv-${n++}-xxxxxxxx`;
    await store.conversations.create({ id, tokenHash: 'h', language: 'ar', languageChosen: true });
    await store.conversations.appendMessage(id, { role: 'user', text: 'أريد التحدث مع مستشار', language: 'ar', intent: 'handoff.request' });
    return service.open({ conversationId: id, reason: 'requested', priority: 'normal', language: 'ar', intents: ['handoff.request'], entities: [], ...over });
  };
  return { store, service, calls, advisor, open, published };
}

const code = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
};

describe('EscalationService', () => {
  it('publishes what happened, with ids and statuses but never a text', async () => {
    const { service, advisor, open, published } = setup();
    const escalation = await open();
    await service.open({ ...escalation, status: undefined });
    const anna = await advisor();
    await service.claim(escalation.id, anna);
    await service.sendMessage(escalation.id, anna, 'مرحبا، أنا آنا');
    await service.resolve(escalation.id, anna);
    expect(published.map((e) => [e.type, 'status' in e ? e.status : 'role' in e ? e.role : ''])).toEqual([
      ['escalation.created', 'queued'],
      ['escalation.updated', 'assigned'],
      ['escalation.message', 'advisor'],
      ['escalation.updated', 'resolved'],
    ]);
    expect(JSON.stringify(published)).not.toContain('آنا');
  });

  it('opens one escalation per conversation and reports the owner while assigned', async () => {
    const { store, service, advisor, open } = setup();
    const first = await open();
    const [again, concurrent] = await Promise.all([service.open({ ...first, status: undefined }), service.open({ ...first, status: undefined, priority: 'urgent' })]);
    expect([again.id, concurrent.id]).toEqual([first.id, first.id]);
    // The bot stays silent exactly while the open escalation is assigned (handoff.handler.ts).
    expect(await service.openFor(first.conversationId)).toMatchObject({ id: first.id, status: 'queued' });
    expect((await service.openFor(first.conversationId))?.advisorId).toBeUndefined();
    const anna = await advisor();
    await service.claim(first.id, anna);
    expect(await service.openFor(first.conversationId)).toMatchObject({ id: first.id, status: 'assigned', advisorId: anna.id });
    await service.resolve(first.id, anna);
    expect(await service.openFor(first.conversationId)).toBeNull();
    await store.close();
  });

  it('lets only the owner write, stores the message as role advisor and pushes it live', async () => {
    const { store, service, calls, advisor, open } = setup();
    const escalation = await open();
    const [owner, other, admin] = [await advisor(), await advisor(), await advisor('admin')];
    expect(await code(service.sendMessage(escalation.id, owner, 'Hallo'))).toBe(409);
    await service.claim(escalation.id, owner);
    expect(await code(service.claim(escalation.id, other))).toBe(409);
    expect(await code(service.sendMessage(escalation.id, other, 'Hallo'))).toBe(403);
    expect(await code(service.sendMessage(escalation.id, admin, 'Hallo'))).toBe(403);
    const sent = await service.sendMessage(escalation.id, owner, 'مرحباً، أنا مستشارتك');
    expect(sent).toMatchObject({ role: 'advisor', text: 'مرحباً، أنا مستشارتك' });
    expect(calls).toEqual([
      ['takenOver', escalation.conversationId, 'ar', expect.objectContaining({ id: escalation.id, status: 'assigned' })],
      ['deliver', escalation.conversationId, 'مرحباً، أنا مستشارتك', expect.any(Number)],
    ]);
    const { transcript } = await service.detail(escalation.id);
    expect(transcript.map((l) => [l.role, l.text])).toEqual([
      ['user', 'أريد التحدث مع مستشار'],
      ['advisor', 'مرحباً، أنا مستشارتك'],
    ]);
    expect(Object.keys(transcript[0]).sort()).toEqual(['createdAt', 'role', 'text']);
    await store.close();
  });

  it('resolves and returns by the owner or an admin, then hands back in the person’s language', async () => {
    const { store, service, calls, advisor, open } = setup();
    const [owner, other, admin] = [await advisor(), await advisor(), await advisor('admin')];
    const a = await open();
    const b = await open();
    await service.claim(a.id, owner);
    await service.claim(b.id, owner);
    expect(await code(service.resolve(a.id, other))).toBe(403);
    expect(await code(service.returnToBot(a.id, other))).toBe(403);
    expect((await service.resolve(a.id, owner)).status).toBe('resolved');
    expect(await code(service.resolve(a.id, owner))).toBe(409);
    expect(await code(service.returnToBot(a.id, owner))).toBe(409);
    expect((await service.returnToBot(b.id, admin)).status).toBe('returned');
    expect(calls.filter(([kind]) => kind === 'handBack')).toEqual([
      ['handBack', a.conversationId, 'ar', 'resolved'],
      ['handBack', b.conversationId, 'ar', 'returned'],
    ]);
    await store.close();
  });

  it('callbacks: any advisor resolves them (contact deleted); only admins withdraw queued cases', async () => {
    const { store, service, advisor, open } = setup();
    const [anyone, admin] = [await advisor(), await advisor('admin')];
    const callback = await open({ status: 'callback', callbackContact: { kind: 'email', value: 'p@example.org' } });
    expect(await code(service.claim(callback.id, anyone))).toBe(409);
    const resolved = await service.resolve(callback.id, anyone);
    expect(resolved).toMatchObject({ status: 'resolved', advisorId: anyone.id });
    expect(resolved.callbackContact).toBeUndefined();

    const queued = await open();
    expect(await code(service.resolve(queued.id, admin))).toBe(409);
    expect(await code(service.returnToBot(queued.id, anyone))).toBe(403);
    expect((await service.returnToBot(queued.id, admin)).status).toBe('returned');
    expect(await code(service.claim('missing', anyone))).toBe(404);
    expect(await code(service.detail('missing'))).toBe(404);
    await store.close();
  });

  it('keeps the stored message and the status change when the live push fails', async () => {
    const gone = async () => Promise.reject(new Error('socket gone'));
    const failing = { deliver: gone, takenOver: gone, handBack: gone };
    const { store, service, advisor, open } = setup(failing);
    const owner = await advisor();
    const escalation = await open();
    await service.claim(escalation.id, owner);
    await expect(service.sendMessage(escalation.id, owner, 'Hallo')).resolves.toMatchObject({ role: 'advisor' });
    await expect(service.returnToBot(escalation.id, owner)).resolves.toMatchObject({ status: 'returned' });
    await store.close();
  });

  it('adds internal notes and audits every action without texts', async () => {
    const { store, service, advisor, open } = setup();
    const owner = await advisor();
    const escalation = await open();
    await service.claim(escalation.id, owner);
    await service.addNote(escalation.id, owner, 'NOTE-SECRET: needs Arabic interpreter');
    await service.sendMessage(escalation.id, owner, 'MESSAGE-SECRET');
    await service.resolve(escalation.id, owner);
    const audit = await store.audit.list({ limit: 10 });
    expect(audit.map((e) => e.action).reverse()).toEqual(['escalation.claim', 'escalation.note', 'escalation.message', 'escalation.resolve']);
    expect(audit.every((e) => e.actorId === owner.id && e.target === escalation.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/SECRET|interpreter/);
    expect((await store.escalations.get(escalation.id))?.notes[0]).toMatchObject({ advisorId: owner.id, text: 'NOTE-SECRET: needs Arabic interpreter' });
    await store.close();
  });
});
