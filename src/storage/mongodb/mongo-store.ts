import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Logger } from '../../logging/logger';
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
  EscalationStatus,
  EscalationUpdate,
  ExpiryResult,
  Store,
  StoredMessage,
} from '../store';
import { dialogStatePrefix, DuplicateEmailError, OPEN_ESCALATION_STATUSES, OpenEscalationExistsError, StoreUnavailableError } from '../store';
import { RetryingConnection, reportingUnavailable, type ConnectionOptions } from './connection';
import { defineModels, type AdvisorDoc, type AuditDoc, type ConversationDoc, type EscalationDoc, type MessageDoc, type Models } from './models';

/** Channel id our web adapter gives every activity; dialog state keys start with it. */
const DIALOG_CHANNEL = 'zemigra';
const DUPLICATE_KEY = 11000;
/** How long /readyz waits for a ping before it calls the store unreachable. */
const PING_TIMEOUT_MS = 1_000;

export interface MongoStoreOptions extends ConnectionOptions {
  retentionDays: number;
  logger?: Logger;
}

/** Our own operators, marked so the connection's sanitizeFilter lets them through (client values never are). */
const op = <T extends object>(value: T): T => mongoose.trusted(value) as T;

/**
 * Ids and emails arrive from clients: anything but a string (an object like { $ne: null }) cannot
 * name a record. Checked at this boundary in addition to sanitizeFilter.
 */
const isKey = (value: unknown): value is string => typeof value === 'string';

let orderCounter = 0;
/** Creation order within one process for records created in the same millisecond. */
const nextOrder = () => Date.now() * 1000 + (orderCounter++ % 1000);

/**
 * The Store on MongoDB through mongoose (selected when MONGODB_URI is set). Atomicity comes from
 * single-document operations: a claim is `findOneAndUpdate({ _id, status: 'queued' }, …)`, a
 * compare-and-set the database does, so of many concurrent claims exactly one matches; "one open
 * escalation per conversation" and "one account per email" are unique indexes.
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly conversations: ConversationRepository;
  readonly dialogState: DialogStateRepository;
  readonly advisors: AdvisorRepository;
  readonly escalations: EscalationRepository;
  readonly audit: AuditRepository;

  private readonly link: RetryingConnection;
  private readonly models: Models;
  private initialised = false;
  private readonly readyWaiters: Array<() => void> = [];

  /** Starts connecting in the background and returns at once; `isReachable()` tells when it works. */
  static open(uri: string, options: MongoStoreOptions): MongoStore {
    const store = new MongoStore(uri, options);
    store.link.start();
    return store;
  }

  /** Like `open`, but waits until MongoDB answers (for the CLI and tests); StoreUnavailableError after `timeoutMs`. */
  static async connect(uri: string, options: MongoStoreOptions & { timeoutMs?: number }): Promise<MongoStore> {
    const store = MongoStore.open(uri, options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError()), options.timeoutMs ?? 30_000);
    });
    try {
      await Promise.race([store.ready(), timeout]);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private constructor(uri: string, private readonly options: MongoStoreOptions) {
    this.link = new RetryingConnection(
      uri,
      {
        onConnected: async () => {
          // Indexes before the first request: the unique ones carry the guarantees above, and
          // syncIndexes also moves the TTL indexes to a changed RETENTION_DAYS.
          for (const model of Object.values(this.models)) await model.syncIndexes();
          this.initialised = true;
          options.logger?.info({ store: 'mongodb' }, 'store connected');
          for (const wake of this.readyWaiters.splice(0)) wake();
        },
        onRetry: (attempt, delayMs, errorName) => options.logger?.warn({ store: 'mongodb', attempt, delayMs, error: errorName }, 'store not reachable, retrying'),
      },
      options,
    );
    this.models = defineModels(this.link.connection, options.retentionDays);
    this.conversations = this.createConversationRepository();
    this.dialogState = this.createDialogStateRepository();
    this.advisors = this.createAdvisorRepository();
    this.escalations = this.createEscalationRepository();
    this.audit = this.createAuditRepository();
  }

  /** Resolves once connected and indexed for the first time. */
  ready(): Promise<void> {
    if (this.initialised) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async isReachable(): Promise<boolean> {
    if (!this.initialised || !this.link.connected) return false;
    const db = this.link.connection.db;
    if (!db) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const ping = db
      .command({ ping: 1 })
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  /** Test suites against a shared server start from nothing and leave nothing. */
  async dropDatabaseForTests(): Promise<void> {
    await this.link.connection.dropDatabase();
  }

  /** Every operation goes through here: not connected yet, or lost → StoreUnavailableError (503). */
  private run<T>(operation: (models: Models) => Promise<T>): Promise<T> {
    if (!this.initialised) return Promise.reject(new StoreUnavailableError());
    return reportingUnavailable(() => operation(this.models));
  }

  async expire(cutoff: string): Promise<ExpiryResult> {
    const before = new Date(cutoff);
    return this.run(async ({ Conversation, Message, Escalation }) => {
      const result: ExpiryResult = { conversations: 0, messages: 0, escalations: 0 };
      const stale = await Conversation.find({ updatedAt: op({ $lt: before }) }, { _id: 1 }).lean();
      for (const { _id } of stale) {
        const erased = await this.eraseConversation(_id);
        if (!erased) continue;
        result.conversations++;
        result.messages += erased.messages;
        result.escalations += erased.escalations;
      }
      result.messages += (await Message.deleteMany({ createdAt: op({ $lt: before }) })).deletedCount;
      result.escalations += (await Escalation.deleteMany({ updatedAt: op({ $lt: before }) })).deletedCount;
      return result;
    });
  }

  /** Children first, the conversation last: an erase cut off half-way can simply be repeated. */
  private async eraseConversation(id: string): Promise<{ messages: number; escalations: number } | null> {
    const { Conversation, Message, DialogState, Escalation } = this.models;
    if (!(await Conversation.exists({ _id: id }))) return null;
    const messages = (await Message.deleteMany({ conversationId: id })).deletedCount;
    await DialogState.deleteMany({ _id: op({ $regex: `^${escapeRegex(dialogStatePrefix(DIALOG_CHANNEL, id))}` }) });
    const escalations = (await Escalation.deleteMany({ conversationId: id })).deletedCount;
    await Conversation.deleteOne({ _id: id });
    return { messages, escalations };
  }

  private createConversationRepository(): ConversationRepository {
    return {
      get: (id) =>
        this.run(async ({ Conversation }) => {
          if (!isKey(id)) return null;
          const doc = await Conversation.findById(id).lean();
          return doc ? toConversation(doc) : null;
        }),
      create: (input) =>
        this.run(async ({ Conversation }) => {
          const now = new Date();
          const doc = await Conversation.create({ _id: input.id, tokenHash: input.tokenHash, language: input.language, languageChosen: input.languageChosen, lastSeq: 0, createdAt: now, updatedAt: now });
          return toConversation(doc.toObject());
        }),
      update: (id, patch) =>
        this.run(async ({ Conversation }) => {
          if (!isKey(id)) return null;
          const set: Record<string, unknown> = { updatedAt: new Date() };
          if (patch.language !== undefined) set.language = patch.language;
          if (patch.languageChosen !== undefined) set.languageChosen = patch.languageChosen;
          if ('awaitingCallbackContact' in patch) set.awaitingCallbackContact = patch.awaitingCallbackContact ?? null;
          const doc = await Conversation.findOneAndUpdate({ _id: id }, { $set: set }, { new: true, runValidators: true }).lean();
          return doc ? toConversation(doc) : null;
        }),
      appendMessage: (conversationId, input) =>
        this.run(async ({ Conversation, Message }) => {
          const now = new Date();
          // The counter moves first and atomically: concurrent appends get distinct sequence numbers.
          const conversation = await Conversation.findOneAndUpdate({ _id: String(conversationId) }, { $inc: { lastSeq: 1 }, $set: { updatedAt: now } }, { new: true }).lean();
          if (!conversation) throw new Error('unknown conversation');
          const doc = await Message.create({ ...input, conversationId: conversation._id, seq: conversation.lastSeq, createdAt: now });
          return toMessage(doc.toObject());
        }),
      listMessages: (conversationId, afterSeq, limit) =>
        this.run(async ({ Message }) => {
          if (!isKey(conversationId)) return [];
          const docs = await Message.find({ conversationId, seq: op({ $gt: Number(afterSeq) }) })
            .sort({ seq: 1 })
            .limit(Math.max(1, Math.floor(Number(limit))))
            .lean();
          return docs.map(toMessage);
        }),
      erase: (id) => this.run(async () => (isKey(id) ? (await this.eraseConversation(id)) !== null : false)),
      scan: (from, to) => this.scanConversations(from, to),
    };
  }

  private async *scanConversations(from: string, to: string): AsyncIterable<ConversationActivity> {
    const conversations = await this.run(({ Conversation }) =>
      Conversation.find({ createdAt: op({ $lte: new Date(to) }), updatedAt: op({ $gte: new Date(from) }) })
        .sort({ createdAt: 1 })
        .lean(),
    );
    for (const doc of conversations) {
      const messages = await this.run(({ Message }) => Message.find({ conversationId: doc._id }).sort({ seq: 1 }).lean());
      yield { conversation: toConversation(doc), messages: messages.map(toMessage) };
    }
  }

  private createDialogStateRepository(): DialogStateRepository {
    return {
      read: (keys) =>
        this.run(async ({ DialogState }) => {
          const wanted = keys.filter(isKey);
          if (!wanted.length) return {};
          const docs = await DialogState.find({ _id: op({ $in: wanted }) }).lean();
          return Object.fromEntries(docs.map((d) => [d._id, JSON.parse(d.value)]));
        }),
      write: (changes) =>
        this.run(async ({ DialogState }) => {
          const now = new Date();
          const operations = Object.entries(changes).map(([key, value]) => ({
            updateOne: { filter: { _id: key }, update: { $set: { value: JSON.stringify(value), updatedAt: now } }, upsert: true },
          }));
          if (operations.length) await DialogState.bulkWrite(operations, { ordered: false });
        }),
      delete: (keys) =>
        this.run(async ({ DialogState }) => {
          const wanted = keys.filter(isKey);
          if (wanted.length) await DialogState.deleteMany({ _id: op({ $in: wanted }) });
        }),
    };
  }

  private createAdvisorRepository(): AdvisorRepository {
    return {
      create: (input) =>
        this.run(async ({ Advisor }) => {
          const email = input.email.trim().toLowerCase();
          try {
            const doc = await Advisor.create({ _id: randomUUID(), email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabled: false, createdAt: new Date(), order: nextOrder() });
            return toAdvisor(doc.toObject());
          } catch (error) {
            // The unique index decides, so two concurrent creates cannot both succeed.
            if (isDuplicateKey(error)) throw new DuplicateEmailError(email);
            throw error;
          }
        }),
      get: (id) =>
        this.run(async ({ Advisor }) => {
          if (!isKey(id)) return null;
          const doc = await Advisor.findById(id).lean();
          return doc ? toAdvisor(doc) : null;
        }),
      getByEmail: (email) =>
        this.run(async ({ Advisor }) => {
          if (!isKey(email)) return null;
          const doc = await Advisor.findOne({ email: email.trim().toLowerCase() }).lean();
          return doc ? toAdvisor(doc) : null;
        }),
      list: () => this.run(async ({ Advisor }) => (await Advisor.find().sort({ createdAt: 1, order: 1 }).lean()).map(toAdvisor)),
      update: (id, patch) =>
        this.run(async ({ Advisor }) => {
          if (!isKey(id)) return null;
          const set: Record<string, unknown> = {};
          if (patch.disabled !== undefined) set.disabled = patch.disabled;
          if (patch.name !== undefined) set.name = patch.name;
          if (patch.role !== undefined) set.role = patch.role;
          if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
          if (patch.tokensValidFrom !== undefined) set.tokensValidFrom = new Date(patch.tokensValidFrom);
          const doc = Object.keys(set).length
            ? await Advisor.findOneAndUpdate({ _id: id }, { $set: set }, { new: true, runValidators: true }).lean()
            : await Advisor.findById(id).lean();
          return doc ? toAdvisor(doc) : null;
        }),
    };
  }

  private createEscalationRepository(): EscalationRepository {
    const compareAndSet = (id: string, from: readonly EscalationStatus[], patch: EscalationPatch): Promise<EscalationUpdate> =>
      this.run(async ({ Escalation }) => {
        if (!isKey(id)) return { ok: false, reason: 'not_found' };
        const now = new Date();
        const set: Record<string, unknown> = { updatedAt: now };
        const unset: Record<string, ''> = {};
        if (patch.status !== undefined) {
          set.status = patch.status;
          set.open = OPEN_ESCALATION_STATUSES.includes(patch.status);
        }
        if (patch.advisorId !== undefined) set.advisorId = patch.advisorId;
        if (patch.priority !== undefined) set.priority = patch.priority;
        if (patch.reason !== undefined) set.reason = patch.reason;
        if (patch.intents !== undefined) set.intents = patch.intents;
        if (patch.entities !== undefined) set.entities = patch.entities;
        if (patch.claimedAt !== undefined) set.claimedAt = new Date(patch.claimedAt);
        if (patch.callbackContact !== undefined) set.callbackContact = patch.callbackContact;
        else if ('callbackContact' in patch) unset.callbackContact = '';
        const update: Record<string, unknown> = { $set: set };
        if (patch.status === 'resolved' || patch.status === 'returned') {
          // A callback contact was given for one callback only: it must not outlive the case.
          delete set.callbackContact;
          unset.callbackContact = '';
          if (patch.closedAt !== undefined) set.closedAt = new Date(patch.closedAt);
          // $min keeps an earlier closedAt and sets it when missing: "closedAt ??= now", atomically.
          else update.$min = { closedAt: now };
        } else if (patch.closedAt !== undefined) set.closedAt = new Date(patch.closedAt);
        if (Object.keys(unset).length) update.$unset = unset;
        const doc = await Escalation.findOneAndUpdate({ _id: id, status: op({ $in: [...from] }) }, update, { new: true, runValidators: true }).lean();
        if (doc) return { ok: true, escalation: toEscalation(doc) };
        const current = await Escalation.findById(id).lean();
        return current ? { ok: false, reason: 'status', escalation: toEscalation(current) } : { ok: false, reason: 'not_found' };
      });

    return {
      create: (input) =>
        this.run(async ({ Conversation, Escalation }) => {
          if (!(await Conversation.exists({ _id: String(input.conversationId) }))) throw new Error('unknown conversation');
          const now = new Date();
          const status = input.status ?? 'queued';
          try {
            const doc = await Escalation.create({
              _id: randomUUID(),
              conversationId: input.conversationId,
              reason: input.reason,
              priority: input.priority,
              priorityRank: input.priority === 'urgent' ? 0 : 1,
              status,
              open: OPEN_ESCALATION_STATUSES.includes(status),
              language: input.language,
              intents: [...input.intents],
              entities: input.entities.map((e) => ({ type: e.type, value: e.value })),
              ...(input.callbackContact ? { callbackContact: { ...input.callbackContact } } : {}),
              notes: [],
              createdAt: now,
              updatedAt: now,
              order: nextOrder(),
            });
            return toEscalation(doc.toObject());
          } catch (error) {
            // The partial unique index decides: two triggers at once open one escalation.
            if (!isDuplicateKey(error)) throw error;
            const open = await Escalation.findOne({ conversationId: input.conversationId, open: true }).lean();
            if (!open) throw error;
            throw new OpenEscalationExistsError(toEscalation(open));
          }
        }),
      get: (id) =>
        this.run(async ({ Escalation }) => {
          if (!isKey(id)) return null;
          const doc = await Escalation.findById(id).lean();
          return doc ? toEscalation(doc) : null;
        }),
      findOpenByConversation: (conversationId) =>
        this.run(async ({ Escalation }) => {
          if (!isKey(conversationId)) return null;
          const doc = await Escalation.findOne({ conversationId, open: true }).lean();
          return doc ? toEscalation(doc) : null;
        }),
      list: (filter = {}) =>
        this.run(async ({ Escalation }) => {
          if (filter.status !== undefined && !isKey(filter.status)) return [];
          const query = filter.status ? { status: filter.status } : {};
          return (await Escalation.find(query).sort({ priorityRank: 1, createdAt: 1, order: 1 }).lean()).map(toEscalation);
        }),
      listByConversation: (conversationId) =>
        this.run(async ({ Escalation }) => {
          if (!isKey(conversationId)) return [];
          return (await Escalation.find({ conversationId }).sort({ createdAt: 1, order: 1 }).lean()).map(toEscalation);
        }),
      listCreatedBetween: (from, to) =>
        this.run(async ({ Escalation }) =>
          (await Escalation.find({ createdAt: op({ $gte: new Date(from), $lte: new Date(to) }) }).sort({ createdAt: 1, order: 1 }).lean()).map(toEscalation),
        ),
      claim: (id, advisorId) => compareAndSet(id, ['queued'], { status: 'assigned', advisorId, claimedAt: new Date().toISOString() }),
      transition: (id, from, patch) => compareAndSet(id, from, patch),
      addNote: (id, note) =>
        this.run(async ({ Escalation }) => {
          if (!isKey(id)) return null;
          const doc = await Escalation.findOneAndUpdate(
            { _id: id },
            { $push: { notes: { at: new Date(note.at), advisorId: note.advisorId, text: note.text } }, $set: { updatedAt: new Date() } },
            { new: true, runValidators: true },
          ).lean();
          return doc ? toEscalation(doc) : null;
        }),
    };
  }

  private createAuditRepository(): AuditRepository {
    return {
      append: (input) =>
        this.run(async ({ Audit }) => {
          const doc = await Audit.create({ _id: randomUUID(), ...input, at: new Date(input.at), order: nextOrder() });
          return toAuditEntry(doc.toObject());
        }),
      list: ({ limit, actorId }) =>
        this.run(async ({ Audit }) => {
          if (actorId !== undefined && !isKey(actorId)) return [];
          const query = actorId ? { actorId } : {};
          const docs = await Audit.find(query)
            .sort({ at: -1, order: -1 })
            .limit(Math.max(1, Math.floor(Number(limit))))
            .lean();
          return docs.map(toAuditEntry);
        }),
    };
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === DUPLICATE_KEY;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const iso = (date: Date) => new Date(date).toISOString();

// Documents → the interface's records: ISO timestamps, no _id/order, no optional field set to undefined.

function toConversation(doc: ConversationDoc): Conversation {
  return {
    id: doc._id,
    tokenHash: doc.tokenHash,
    language: doc.language as Conversation['language'],
    languageChosen: doc.languageChosen,
    lastSeq: doc.lastSeq,
    awaitingCallbackContact: doc.awaitingCallbackContact ? { escalationId: doc.awaitingCallbackContact.escalationId, attempts: doc.awaitingCallbackContact.attempts } : null,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

function toMessage(doc: MessageDoc): StoredMessage {
  const message: StoredMessage = {
    conversationId: doc.conversationId,
    seq: doc.seq,
    role: doc.role,
    text: doc.text,
    language: doc.language as StoredMessage['language'],
    createdAt: iso(doc.createdAt),
  };
  if (doc.intent !== undefined) message.intent = doc.intent;
  if (doc.quickReplies) message.quickReplies = doc.quickReplies.map((q) => ({ title: q.title, payload: q.payload }));
  if (doc.sources) message.sources = doc.sources.map((s) => ({ title: s.title, url: s.url }));
  if (doc.unanswered !== undefined) message.unanswered = doc.unanswered;
  return message;
}

function toAdvisor(doc: AdvisorDoc): Advisor {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    role: doc.role,
    passwordHash: doc.passwordHash,
    disabled: doc.disabled,
    ...(doc.tokensValidFrom ? { tokensValidFrom: iso(doc.tokensValidFrom) } : {}),
    createdAt: iso(doc.createdAt),
  };
}

function toEscalation(doc: EscalationDoc): Escalation {
  const escalation: Escalation = {
    id: doc._id,
    conversationId: doc.conversationId,
    reason: doc.reason,
    priority: doc.priority,
    status: doc.status,
    language: doc.language as Escalation['language'],
    intents: [...(doc.intents ?? [])],
    entities: (doc.entities ?? []).map((e) => ({ type: e.type, value: e.value })),
    notes: (doc.notes ?? []).map((n) => ({ at: iso(n.at), advisorId: n.advisorId, text: n.text })),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
  if (doc.advisorId !== undefined) escalation.advisorId = doc.advisorId;
  if (doc.callbackContact) escalation.callbackContact = { kind: doc.callbackContact.kind, value: doc.callbackContact.value };
  if (doc.claimedAt) escalation.claimedAt = iso(doc.claimedAt);
  if (doc.closedAt) escalation.closedAt = iso(doc.closedAt);
  return escalation;
}

function toAuditEntry(doc: AuditDoc): AuditEntry {
  const entry: AuditEntry = { id: doc._id, at: iso(doc.at), actorId: doc.actorId, action: doc.action as AuditEntry['action'] };
  if (doc.target !== undefined) entry.target = doc.target;
  if (doc.details !== undefined) entry.details = { ...doc.details };
  return entry;
}
