import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConversationExporter } from '../../src/privacy/conversation-export';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import type { ConversationRepository, StoredMessage } from '../../src/storage/store';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-export-'));
const EXPORTED_AT = new Date('2026-03-01T10:00:00.000Z');

describe('ConversationExporter', () => {
  let store: EmbeddedStore;
  let exporter: ConversationExporter;
  beforeEach(() => {
    store = new EmbeddedStore(tempDir());
    exporter = new ConversationExporter({ conversations: store.conversations, escalations: store.escalations, retentionDays: 30, now: () => EXPORTED_AT });
  });
  afterEach(() => store.close());

  it('exports the conversation, every message and the escalations as the person may see them', async () => {
    await store.conversations.create({ id: 'export-session', tokenHash: 'secret-token-hash', language: 'uk', languageChosen: true });
    await store.conversations.appendMessage('export-session', { role: 'user', text: 'Як визнати мій диплом?', language: 'uk', intent: 'recognition.need' });
    await store.conversations.appendMessage('export-session', {
      role: 'bot',
      text: 'Ось як це працює.',
      language: 'uk',
      sources: [{ title: 'Anerkennung in Deutschland', url: 'https://www.anerkennung-in-deutschland.de' }],
      quickReplies: [{ title: 'Далі', payload: 'intent:recognition.process' }],
      unanswered: false,
    });
    const advisor = await store.advisors.create({ email: 'anna@zemigra.example', name: 'Anna', role: 'advisor', passwordHash: 'scrypt$x' });

    // A first handover, claimed, noted and resolved; then a callback that is still open.
    const first = await store.escalations.create({ conversationId: 'export-session', reason: 'requested', priority: 'normal', language: 'uk', intents: ['recognition.need'], entities: [{ type: 'profession', value: 'nurse' }] });
    await store.escalations.claim(first.id, advisor.id);
    await store.escalations.addNote(first.id, { at: new Date().toISOString(), advisorId: advisor.id, text: 'internal: seems stressed' });
    await store.escalations.transition(first.id, ['assigned'], { status: 'resolved' });
    await store.conversations.appendMessage('export-session', { role: 'advisor', text: 'Привіт, я Анна.', language: 'uk' });
    const second = await store.escalations.create({
      conversationId: 'export-session',
      reason: 'urgent',
      priority: 'urgent',
      language: 'uk',
      intents: [],
      entities: [],
      status: 'callback',
      callbackContact: { kind: 'phone', value: '+49 391 555 0101' },
    });
    await store.escalations.addNote(second.id, { at: new Date().toISOString(), advisorId: advisor.id, text: 'internal: call after 3 pm' });

    const document = await exporter.export('export-session');
    const stored = await store.conversations.get('export-session');
    expect(document).toEqual({
      format: 'zemigra.conversation-export',
      version: 1,
      exportedAt: EXPORTED_AT.toISOString(),
      retention: { days: 30, statement: expect.stringContaining('30 days') },
      conversation: { id: 'export-session', language: 'uk', createdAt: stored!.createdAt, updatedAt: stored!.updatedAt },
      messages: [
        { seq: 1, role: 'user', text: 'Як визнати мій диплом?', language: 'uk', createdAt: expect.any(String), intent: 'recognition.need', sources: [] },
        { seq: 2, role: 'bot', text: 'Ось як це працює.', language: 'uk', createdAt: expect.any(String), intent: null, sources: [{ title: 'Anerkennung in Deutschland', url: 'https://www.anerkennung-in-deutschland.de' }] },
        { seq: 3, role: 'advisor', text: 'Привіт, я Анна.', language: 'uk', createdAt: expect.any(String), intent: null, sources: [] },
      ],
      escalations: [
        {
          id: first.id,
          status: 'resolved',
          reason: 'requested',
          priority: 'normal',
          language: 'uk',
          topics: { intents: ['recognition.need'], entities: [{ type: 'profession', value: 'nurse' }] },
          createdAt: first.createdAt,
          closedAt: expect.any(String),
          callbackContact: null,
        },
        {
          id: second.id,
          status: 'callback',
          reason: 'urgent',
          priority: 'urgent',
          language: 'uk',
          topics: { intents: [], entities: [] },
          createdAt: second.createdAt,
          closedAt: null,
          callbackContact: { kind: 'phone', value: '+49 391 555 0101' },
        },
      ],
    });
    const text = JSON.stringify(document);
    for (const hidden of ['secret-token-hash', 'tokenHash', advisor.id, 'advisorId', 'internal:', 'notes', 'quickReplies', 'unanswered']) expect(text).not.toContain(hidden);
  });

  it('pages through a conversation longer than one page', async () => {
    await store.conversations.create({ id: 'long-session', tokenHash: 'h', language: 'de', languageChosen: false });
    for (let i = 1; i <= 450; i++) await store.conversations.appendMessage('long-session', { role: i % 2 ? 'user' : 'bot', text: `Nachricht ${i}`, language: 'de' });
    const document = await exporter.export('long-session');
    expect(document!.messages.map((m) => m.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(document!.messages[449].text).toBe('Nachricht 450');
  });

  it('keeps paging when a backend returns fewer messages than asked for', async () => {
    const messages: StoredMessage[] = Array.from({ length: 23 }, (_, i) => ({ conversationId: 'c', seq: i + 1, role: 'user', text: `m${i + 1}`, language: 'de', createdAt: EXPORTED_AT.toISOString() }));
    const calls: number[] = [];
    const conversations: Pick<ConversationRepository, 'get' | 'listMessages'> = {
      get: async () => ({ id: 'capped-session', tokenHash: 'h', language: 'de', languageChosen: false, lastSeq: 23, createdAt: EXPORTED_AT.toISOString(), updatedAt: EXPORTED_AT.toISOString() }),
      // A backend with its own, smaller page cap.
      listMessages: async (_id, after) => {
        calls.push(after);
        return messages.filter((m) => m.seq > after).slice(0, 10);
      },
    };
    const capped = new ConversationExporter({ conversations, escalations: { listByConversation: async () => [] }, retentionDays: 30 });
    const document = await capped.export('capped-session');
    expect(document!.messages).toHaveLength(23);
    expect(calls).toEqual([0, 10, 20, 23]);
  });

  it('answers null for an unknown conversation, and for an erased one', async () => {
    expect(await exporter.export('no-such-session')).toBeNull();
    await store.conversations.create({ id: 'erased-session', tokenHash: 'h', language: 'de', languageChosen: false });
    await store.conversations.erase('erased-session');
    expect(await exporter.export('erased-session')).toBeNull();
  });
});
