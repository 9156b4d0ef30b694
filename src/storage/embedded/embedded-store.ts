import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  Advisor,
  AdvisorRepository,
  AuditEntry,
  AuditRepository,
  Conversation,
  ConversationActivity,
  ConversationRepository,
  DialogStateRepository,
  Escalation,
  EscalationPatch,
  EscalationRepository,
  EscalationUpdate,
  ExpiryResult,
  NewMessage,
  Store,
  StoredMessage,
} from '../store';
import { dialogStatePrefix, DuplicateEmailError, OPEN_ESCALATION_STATUSES, OpenEscalationExistsError } from '../store';
import { Journal, type Extent } from './journal';
import { MessageIndex } from './message-index';
import { acquireDataDirLock } from './lock';

type Entry =
  | { t: 'conversation'; d: Conversation }
  | { t: 'message'; d: StoredMessage }
  | { t: 'erase'; id: string }
  | { t: 'expire-messages'; before: string }
  | { t: 'escalation-delete'; id: string }
  | { t: 'state'; k: string; v: unknown }
  | { t: 'state-delete'; k: string }
  // Advisors, escalations: the whole record after each change (last one wins on replay).
  | { t: 'advisor'; d: Advisor }
  | { t: 'escalation'; d: Escalation }
  | { t: 'audit'; d: AuditEntry };

/** Channel id our web adapter gives every activity; dialog state keys start with it. */
const DIALOG_CHANNEL = 'zemigra';

/** A message entry's place in memory, so a journal rewrite can tell the index where its line went. */
interface MessageRef {
  index: MessageIndex;
  position: number;
}

/**
 * The zero-setup default store: records in memory, every change appended to a journal under
 * DATA_DIR and replayed at start. Single process only (the journal has one writer). Message texts
 * stay on disk: memory holds only where each message's line lies (32 bytes a message, see
 * message-index.ts), so memory grows with the number of conversations, not with what people wrote.
 */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly conversations: ConversationRepository;
  readonly dialogState: DialogStateRepository;
  readonly advisors: AdvisorRepository;
  readonly escalations: EscalationRepository;
  readonly audit: AuditRepository;

  private readonly journal: Journal<Entry>;
  private readonly conversationsById = new Map<string, Conversation>();
  private readonly messagesByConversation = new Map<string, MessageIndex>();
  private readonly state = new Map<string, unknown>();
  private readonly advisorsById = new Map<string, Advisor>();
  /** Insertion order = creation order, which `escalations.list` relies on for ties. */
  private readonly escalationsById = new Map<string, Escalation>();
  /** Escalation ids by conversation: every message asks for its conversation's open escalation. */
  private readonly escalationIdsByConversation = new Map<string, Set<string>>();
  private readonly auditLog: AuditEntry[] = [];
  private readonly releaseLock: () => void;
  private entriesSinceCompaction = 0;
  private closed = false;

  /** Throws StoreLockedError (./lock.ts) while another process (the service, the CLI) holds DATA_DIR. */
  constructor(dataDir: string, options: { fsync?: boolean; write?: (fd: number, text: string) => number } = {}) {
    this.releaseLock = acquireDataDirLock(dataDir);
    try {
      this.journal = new Journal<Entry>(path.join(dataDir, 'journal.jsonl'), options.fsync ?? false, options.write);
      this.journal.replay((entry, extent) => {
        this.apply(entry, extent);
        this.entriesSinceCompaction++;
      });
      this.compactIfWasteful();
    } catch (error) {
      this.releaseLock();
      throw error;
    }
    this.conversations = this.createConversationRepository();
    this.dialogState = this.createDialogStateRepository();
    this.advisors = this.createAdvisorRepository();
    this.escalations = this.createEscalationRepository();
    this.audit = this.createAuditRepository();
  }

  async expire(cutoff: string): Promise<ExpiryResult> {
    const result: ExpiryResult = { conversations: 0, messages: 0, escalations: 0 };
    // Chosen in one synchronous pass; each removal is an ordinary journal entry, so a crash mid-way is safe.
    for (const conversation of [...this.conversationsById.values()]) {
      if (conversation.updatedAt >= cutoff) continue;
      result.messages += this.messagesByConversation.get(conversation.id)?.length ?? 0;
      result.escalations += this.escalationIdsByConversation.get(conversation.id)?.size ?? 0;
      this.record({ t: 'erase', id: conversation.id });
      result.conversations++;
    }
    let oldMessages = 0;
    for (const index of this.messagesByConversation.values()) oldMessages += index.countOlderThan(cutoff);
    if (oldMessages) this.record({ t: 'expire-messages', before: cutoff });
    result.messages += oldMessages;
    for (const escalation of [...this.escalationsById.values()]) {
      if (escalation.updatedAt >= cutoff) continue;
      this.record({ t: 'escalation-delete', id: escalation.id });
      result.escalations++;
    }
    // Expired data must leave the disk, not linger in older journal lines.
    if (result.conversations || result.messages || result.escalations) this.compact();
    return result;
  }

  async isReachable(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.journal.close();
    this.releaseLock();
  }

  private record(entry: Entry): void {
    if (this.closed) throw new Error('store is closed');
    const extent = this.journal.append(entry);
    this.apply(entry, extent);
    this.entriesSinceCompaction++;
    this.compactIfWasteful();
  }

  private apply(entry: Entry, extent: Extent): void {
    switch (entry.t) {
      case 'conversation':
        this.conversationsById.set(entry.d.id, entry.d);
        if (!this.messagesByConversation.has(entry.d.id)) this.messagesByConversation.set(entry.d.id, new MessageIndex());
        break;
      case 'message': {
        // A message also moves its conversation's cursor: one journal line per message, not two.
        const conversation = this.conversationsById.get(entry.d.conversationId);
        if (!conversation) break;
        this.messagesByConversation.get(conversation.id)?.push(entry.d.seq, entry.d.createdAt, extent);
        if (entry.d.seq > conversation.lastSeq) this.conversationsById.set(conversation.id, { ...conversation, lastSeq: entry.d.seq, updatedAt: maxIso(conversation.updatedAt, entry.d.createdAt) });
        break;
      }
      case 'erase': {
        this.conversationsById.delete(entry.id);
        this.messagesByConversation.delete(entry.id);
        // An escalation describes the conversation (intents, entities, callback contact, notes): it goes too.
        for (const id of this.escalationIdsByConversation.get(entry.id) ?? []) this.escalationsById.delete(id);
        this.escalationIdsByConversation.delete(entry.id);
        const prefix = dialogStatePrefix(DIALOG_CHANNEL, entry.id);
        for (const key of this.state.keys()) if (key.startsWith(prefix)) this.state.delete(key);
        break;
      }
      case 'expire-messages':
        for (const index of this.messagesByConversation.values()) index.removeOlderThan(entry.before);
        break;
      case 'escalation-delete': {
        const conversationId = this.escalationsById.get(entry.id)?.conversationId;
        this.escalationsById.delete(entry.id);
        const ids = conversationId ? this.escalationIdsByConversation.get(conversationId) : undefined;
        if (ids?.delete(entry.id) && ids.size === 0) this.escalationIdsByConversation.delete(conversationId!);
        break;
      }
      case 'state':
        this.state.set(entry.k, entry.v);
        break;
      case 'state-delete':
        this.state.delete(entry.k);
        break;
      case 'advisor':
        this.advisorsById.set(entry.d.id, entry.d);
        break;
      case 'escalation': {
        this.escalationsById.set(entry.d.id, entry.d);
        const ids = this.escalationIdsByConversation.get(entry.d.conversationId) ?? new Set<string>();
        this.escalationIdsByConversation.set(entry.d.conversationId, ids.add(entry.d.id));
        break;
      }
      case 'audit':
        this.auditLog.push(entry.d);
        break;
    }
  }

  private liveEntryCount(): number {
    let messages = 0;
    for (const index of this.messagesByConversation.values()) messages += index.length;
    return this.conversationsById.size + messages + this.state.size + this.advisorsById.size + this.escalationsById.size + this.auditLog.length;
  }

  /** Dialog state is rewritten every turn, so the journal grows faster than the data: fold it now and then. */
  private compactIfWasteful(): void {
    if (this.entriesSinceCompaction < 10_000) return;
    if (this.entriesSinceCompaction < 2 * this.liveEntryCount()) return;
    this.compact();
  }

  private compact(): void {
    // Message refs follow their lines: the rewrite reports each line's new extent, in the order written.
    const refs: (MessageRef | undefined)[] = [];
    const snapshot = this.snapshot();
    const extents = this.journal.rewrite(
      (function* () {
        for (const { entry, ref } of snapshot) {
          refs.push(ref);
          yield entry;
        }
      })(),
    );
    extents.forEach((extent, i) => refs[i]?.index.moveTo(refs[i]!.position, extent));
    this.entriesSinceCompaction = 0;
  }

  /** Every live record as a journal entry, with the ref of each message entry. */
  private *snapshot(): Iterable<{ entry: Entry; ref?: MessageRef }> {
    for (const conversation of this.conversationsById.values()) {
      yield { entry: { t: 'conversation', d: conversation } };
      const index = this.messagesByConversation.get(conversation.id);
      if (!index) continue;
      for (let position = 0; position < index.length; position++) yield { entry: { t: 'message', d: this.readMessage(index.extentAt(position)) }, ref: { index, position } };
    }
    for (const [k, v] of this.state) yield { entry: { t: 'state', k, v } };
    for (const advisor of this.advisorsById.values()) yield { entry: { t: 'advisor', d: advisor } };
    for (const escalation of this.escalationsById.values()) yield { entry: { t: 'escalation', d: escalation } };
    for (const entry of this.auditLog) yield { entry: { t: 'audit', d: entry } };
  }

  // Stored records are never mutated, only replaced; callers get copies so they cannot change them either.

  private createConversationRepository(): ConversationRepository {
    return {
      get: async (id) => {
        const conversation = this.conversationsById.get(id);
        return conversation ? copyConversation(conversation) : null;
      },
      create: async (input) => {
        const now = new Date().toISOString();
        const conversation: Conversation = { ...input, lastSeq: 0, createdAt: now, updatedAt: now };
        this.record({ t: 'conversation', d: conversation });
        return copyConversation(conversation);
      },
      update: async (id, patch) => {
        const current = this.conversationsById.get(id);
        if (!current) return null;
        const next: Conversation = copyConversation({ ...current, ...patch, updatedAt: new Date().toISOString() });
        this.record({ t: 'conversation', d: next });
        return copyConversation(next);
      },
      appendMessage: async (conversationId, input: NewMessage) => {
        const conversation = this.conversationsById.get(conversationId);
        if (!conversation) throw new Error('unknown conversation');
        const now = new Date().toISOString();
        const message: StoredMessage = { ...input, conversationId, seq: conversation.lastSeq + 1, createdAt: now };
        this.record({ t: 'message', d: message });
        // Not kept in memory (only its ref is), so the caller may have this very object.
        return message;
      },
      listMessages: async (conversationId, afterSeq, limit) => {
        const index = this.messagesByConversation.get(conversationId);
        if (!index) return [];
        // Bisection, so reading the newest messages of a long conversation does not walk all of it.
        const first = index.firstAfter(afterSeq);
        return this.readMessages(index, first, first + Math.max(1, limit));
      },
      erase: async (id) => {
        if (!this.conversationsById.has(id)) return false;
        this.record({ t: 'erase', id });
        // Erasure must reach the disk: rewrite the journal without the erased lines.
        this.compact();
        return true;
      },
      scan: (from, to) => this.scanConversations(from, to),
    };
  }

  private async *scanConversations(from: string, to: string): AsyncIterable<ConversationActivity> {
    // Picked in one synchronous pass, so writes while the consumer awaits cannot tear the result.
    const picked: ConversationActivity[] = [];
    for (const conversation of this.conversationsById.values()) {
      if (conversation.createdAt > to) continue;
      // A message moves its conversation's updatedAt as it is applied, so updatedAt is the last activity.
      if (conversation.updatedAt < from) continue;
      const index = this.messagesByConversation.get(conversation.id);
      picked.push({ conversation: { ...conversation }, messages: index ? this.readMessages(index, 0, index.length) : [] });
    }
    yield* picked;
  }

  /** The messages at positions `from` up to (not including) `to` of `index`, read back from the journal. */
  private readMessages(index: MessageIndex, from: number, to: number): StoredMessage[] {
    const messages: StoredMessage[] = [];
    for (let position = from; position < Math.min(to, index.length); position++) messages.push(this.readMessage(index.extentAt(position)));
    return messages;
  }

  private readMessage(extent: Extent): StoredMessage {
    const entry = this.journal.read(extent);
    if (entry.t !== 'message') throw new Error(`journal line at ${extent.offset} is not a message`);
    return entry.d;
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

  private createAdvisorRepository(): AdvisorRepository {
    const byEmail = (email: string) => {
      const wanted = email.trim().toLowerCase();
      for (const advisor of this.advisorsById.values()) if (advisor.email === wanted) return advisor;
      return undefined;
    };
    return {
      create: async (input) => {
        const email = input.email.trim().toLowerCase();
        // Check and write without an await between them: two concurrent creates cannot both pass.
        if (byEmail(email)) throw new DuplicateEmailError(email);
        const advisor: Advisor = { id: randomUUID(), email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabled: false, createdAt: new Date().toISOString() };
        this.record({ t: 'advisor', d: advisor });
        return { ...advisor };
      },
      get: async (id) => cloneOrNull(this.advisorsById.get(id)),
      getByEmail: async (email) => cloneOrNull(byEmail(email)),
      list: async () => [...this.advisorsById.values()].map((a) => ({ ...a })),
      update: async (id, patch) => {
        const current = this.advisorsById.get(id);
        if (!current) return null;
        const next: Advisor = { ...current };
        if (patch.disabled !== undefined) next.disabled = patch.disabled;
        if (patch.name !== undefined) next.name = patch.name;
        if (patch.role !== undefined) next.role = patch.role;
        if (patch.passwordHash !== undefined) next.passwordHash = patch.passwordHash;
        if (patch.tokensValidFrom !== undefined) next.tokensValidFrom = patch.tokensValidFrom;
        this.record({ t: 'advisor', d: next });
        return { ...next };
      },
    };
  }

  private createEscalationRepository(): EscalationRepository {
    /** The compare-and-set both `claim` and `transition` use: synchronous from check to journal write. */
    const compareAndSet = (id: string, from: readonly Escalation['status'][], patch: EscalationPatch): EscalationUpdate => {
      const current = this.escalationsById.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (!from.includes(current.status)) return { ok: false, reason: 'status', escalation: structuredClone(current) };
      const now = new Date().toISOString();
      const next: Escalation = { ...current, ...patch, updatedAt: now };
      if ('callbackContact' in patch && patch.callbackContact === undefined) delete next.callbackContact;
      if (next.status === 'resolved' || next.status === 'returned') {
        // A callback contact was given for one callback only: it must not outlive the case.
        delete next.callbackContact;
        next.closedAt ??= now;
      }
      this.record({ t: 'escalation', d: next });
      // Like erasure: a deleted contact must leave the disk, not linger in older journal lines.
      if (current.callbackContact && !next.callbackContact) this.compact();
      return { ok: true, escalation: structuredClone(next) };
    };
    const ofConversation = (conversationId: string) => [...(this.escalationIdsByConversation.get(conversationId) ?? [])].map((id) => this.escalationsById.get(id)!);
    const openOf = (conversationId: string) => ofConversation(conversationId).find((e) => OPEN_ESCALATION_STATUSES.includes(e.status));
    return {
      create: async (input) => {
        if (!this.conversationsById.has(input.conversationId)) throw new Error('unknown conversation');
        // Checked and written in one synchronous step, like claim: two triggers at once open one escalation.
        const open = openOf(input.conversationId);
        if (open) throw new OpenEscalationExistsError(structuredClone(open));
        const now = new Date().toISOString();
        const escalation: Escalation = {
          id: randomUUID(),
          conversationId: input.conversationId,
          reason: input.reason,
          priority: input.priority,
          status: input.status ?? 'queued',
          language: input.language,
          intents: [...input.intents],
          entities: input.entities.map((e) => ({ type: e.type, value: e.value })),
          ...(input.callbackContact ? { callbackContact: { ...input.callbackContact } } : {}),
          notes: [],
          createdAt: now,
          updatedAt: now,
        };
        this.record({ t: 'escalation', d: escalation });
        return structuredClone(escalation);
      },
      get: async (id) => cloneOrNull(this.escalationsById.get(id)),
      findOpenByConversation: async (conversationId) => cloneOrNull(openOf(conversationId)),
      list: async (filter = {}) => {
        const all = [...this.escalationsById.values()].filter((e) => !filter.status || e.status === filter.status);
        // Array.prototype.sort is stable: equal timestamps keep creation order.
        all.sort((a, b) => priorityRank(a) - priorityRank(b) || a.createdAt.localeCompare(b.createdAt));
        return all.map((e) => structuredClone(e));
      },
      listByConversation: async (conversationId) => {
        const out = ofConversation(conversationId);
        out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return out.map((e) => structuredClone(e));
      },
      listCreatedBetween: async (from, to) => {
        const out = [...this.escalationsById.values()].filter((e) => e.createdAt >= from && e.createdAt <= to);
        out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return out.map((e) => structuredClone(e));
      },
      claim: async (id, advisorId) => compareAndSet(id, ['queued'], { status: 'assigned', advisorId, claimedAt: new Date().toISOString() }),
      transition: async (id, from, patch) => compareAndSet(id, from, patch),
      addNote: async (id, note) => {
        const current = this.escalationsById.get(id);
        if (!current) return null;
        const next: Escalation = { ...current, notes: [...current.notes, { ...note }], updatedAt: new Date().toISOString() };
        this.record({ t: 'escalation', d: next });
        return structuredClone(next);
      },
    };
  }

  private createAuditRepository(): AuditRepository {
    return {
      append: async (input) => {
        const entry: AuditEntry = { id: randomUUID(), ...input, ...(input.details ? { details: { ...input.details } } : {}) };
        this.record({ t: 'audit', d: entry });
        return structuredClone(entry);
      },
      list: async ({ limit, actorId }) => {
        const out: AuditEntry[] = [];
        for (let i = this.auditLog.length - 1; i >= 0 && out.length < limit; i--) {
          const entry = this.auditLog[i];
          if (!actorId || entry.actorId === actorId) out.push(structuredClone(entry));
        }
        return out;
      },
    };
  }
}

function priorityRank(escalation: Escalation): number {
  return escalation.priority === 'urgent' ? 0 : 1;
}

function maxIso(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a;
}

/** A copy of a conversation record handed in or out (faster than structuredClone on the hot path of every turn). */
function copyConversation(c: Conversation): Conversation {
  return { ...c, ...(c.awaitingCallbackContact ? { awaitingCallbackContact: { ...c.awaitingCallbackContact } } : {}) };
}

function cloneOrNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : structuredClone(value);
}
