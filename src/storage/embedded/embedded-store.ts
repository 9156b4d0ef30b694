import path from 'node:path';
import type {
  Conversation,
  ConversationRepository,
  DialogStateRepository,
  NewMessage,
  Store,
  StoredMessage,
} from '../store';
import { dialogStatePrefix } from '../store';
import { Journal } from './journal';

type Entry =
  | { t: 'conversation'; d: Conversation }
  | { t: 'message'; d: StoredMessage }
  | { t: 'erase'; id: string }
  | { t: 'state'; k: string; v: unknown }
  | { t: 'state-delete'; k: string };

/** Channel id our web adapter gives every activity; dialog state keys start with it. */
const DIALOG_CHANNEL = 'zemigra';

/**
 * The zero-setup default store: everything in memory, every change appended to a journal under
 * DATA_DIR and replayed at start. Single process only (the journal has one writer).
 */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly conversations: ConversationRepository;
  readonly dialogState: DialogStateRepository;

  private readonly journal: Journal<Entry>;
  private readonly conversationsById = new Map<string, Conversation>();
  private readonly messagesByConversation = new Map<string, StoredMessage[]>();
  private readonly state = new Map<string, unknown>();
  private entriesSinceCompaction = 0;
  private closed = false;

  constructor(dataDir: string, options: { fsync?: boolean } = {}) {
    this.journal = new Journal<Entry>(path.join(dataDir, 'journal.jsonl'), options.fsync ?? false);
    this.journal.replay((entry) => {
      this.apply(entry);
      this.entriesSinceCompaction++;
    });
    this.compactIfWasteful();
    this.conversations = this.createConversationRepository();
    this.dialogState = this.createDialogStateRepository();
  }

  async isReachable(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.journal.close();
  }

  private record(entry: Entry): void {
    if (this.closed) throw new Error('store is closed');
    this.journal.append(entry);
    this.apply(entry);
    this.entriesSinceCompaction++;
    this.compactIfWasteful();
  }

  private apply(entry: Entry): void {
    switch (entry.t) {
      case 'conversation':
        this.conversationsById.set(entry.d.id, entry.d);
        if (!this.messagesByConversation.has(entry.d.id)) this.messagesByConversation.set(entry.d.id, []);
        break;
      case 'message':
        this.messagesByConversation.get(entry.d.conversationId)?.push(entry.d);
        break;
      case 'erase': {
        this.conversationsById.delete(entry.id);
        this.messagesByConversation.delete(entry.id);
        const prefix = dialogStatePrefix(DIALOG_CHANNEL, entry.id);
        for (const key of this.state.keys()) if (key.startsWith(prefix)) this.state.delete(key);
        break;
      }
      case 'state':
        this.state.set(entry.k, entry.v);
        break;
      case 'state-delete':
        this.state.delete(entry.k);
        break;
    }
  }

  private liveEntryCount(): number {
    let messages = 0;
    for (const list of this.messagesByConversation.values()) messages += list.length;
    return this.conversationsById.size + messages + this.state.size;
  }

  /** Dialog state is rewritten every turn, so the journal grows faster than the data: fold it now and then. */
  private compactIfWasteful(): void {
    if (this.entriesSinceCompaction < 10_000) return;
    if (this.entriesSinceCompaction < 2 * this.liveEntryCount()) return;
    this.compact();
  }

  private compact(): void {
    this.journal.rewrite(this.snapshot());
    this.entriesSinceCompaction = 0;
  }

  private *snapshot(): Iterable<Entry> {
    for (const conversation of this.conversationsById.values()) {
      yield { t: 'conversation', d: conversation };
      for (const message of this.messagesByConversation.get(conversation.id) ?? []) yield { t: 'message', d: message };
    }
    for (const [k, v] of this.state) yield { t: 'state', k, v };
  }

  private createConversationRepository(): ConversationRepository {
    return {
      get: async (id) => this.conversationsById.get(id) ?? null,
      create: async (input) => {
        const now = new Date().toISOString();
        const conversation: Conversation = { ...input, lastSeq: 0, createdAt: now, updatedAt: now };
        this.record({ t: 'conversation', d: conversation });
        return conversation;
      },
      update: async (id, patch) => {
        const current = this.conversationsById.get(id);
        if (!current) return null;
        const next: Conversation = { ...current, ...patch, updatedAt: new Date().toISOString() };
        this.record({ t: 'conversation', d: next });
        return next;
      },
      appendMessage: async (conversationId, input: NewMessage) => {
        const conversation = this.conversationsById.get(conversationId);
        if (!conversation) throw new Error('unknown conversation');
        const now = new Date().toISOString();
        const message: StoredMessage = { ...input, conversationId, seq: conversation.lastSeq + 1, createdAt: now };
        // Message first, then the counter: replay of a torn pair still yields a consistent cursor.
        this.record({ t: 'message', d: message });
        this.record({ t: 'conversation', d: { ...conversation, lastSeq: message.seq, updatedAt: now } });
        return message;
      },
      listMessages: async (conversationId, afterSeq, limit) => {
        const list = this.messagesByConversation.get(conversationId) ?? [];
        const out: StoredMessage[] = [];
        for (const message of list) {
          if (message.seq > afterSeq) out.push(message);
          if (out.length >= limit) break;
        }
        return out;
      },
      erase: async (id) => {
        if (!this.conversationsById.has(id)) return false;
        this.record({ t: 'erase', id });
        // Erasure must reach the disk: rewrite the journal without the erased lines.
        this.compact();
        return true;
      },
    };
  }

  private createDialogStateRepository(): DialogStateRepository {
    return {
      read: async (keys) => {
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          if (this.state.has(key)) out[key] = structuredClone(this.state.get(key));
        }
        return out;
      },
      write: async (changes) => {
        for (const [k, v] of Object.entries(changes)) this.record({ t: 'state', k, v: JSON.parse(JSON.stringify(v)) });
      },
      delete: async (keys) => {
        for (const k of keys) if (this.state.has(k)) this.record({ t: 'state-delete', k });
      },
    };
  }
}
