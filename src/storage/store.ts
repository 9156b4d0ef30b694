/**
 * The storage interface every backend implements: the embedded journal store (default) and MongoDB
 * through mongoose (issue #5). Transcripts (conversations, messages) are kept apart from Botkit's
 * dialog state, which is stored through botbuilder's `Storage` interface (see dialog-state.storage.ts).
 */
import type { LanguageCode } from '../i18n/languages';

export type MessageRole = 'user' | 'bot' | 'advisor';

export interface Source {
  title: string;
  url: string;
}

export interface QuickReply {
  title: string;
  payload: string;
}

export interface Conversation {
  id: string;
  /** SHA-256 of the session token; the token itself is only ever shown to the person once. */
  tokenHash: string;
  /** Language of the last answer; the person's explicit choice when `languageChosen`. */
  language: LanguageCode | null;
  languageChosen: boolean;
  /** Sequence number of the last stored message: the cursor of the messages route. */
  lastSeq: number;
  /**
   * The person agreed to a callback and the bot asked for a phone number or e-mail: the next message
   * that is one goes to the escalation, not into the transcript. `attempts` counts unreadable answers.
   */
  awaitingCallbackContact?: { escalationId: string; attempts: number } | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  conversationId: string;
  seq: number;
  role: MessageRole;
  text: string;
  language: LanguageCode | null;
  createdAt: string;
  /** NLU annotation of a person's message (intent id), for analytics and the advisor's context. */
  intent?: string;
  quickReplies?: QuickReply[];
  sources?: Source[];
  /** A bot message that could not answer the person (fallback): for analytics and the handover offer. */
  unanswered?: boolean;
}

export type NewMessage = Omit<StoredMessage, 'seq' | 'createdAt' | 'conversationId'>;

export interface ConversationRepository {
  get(id: string): Promise<Conversation | null>;
  create(conversation: Pick<Conversation, 'id' | 'tokenHash' | 'language' | 'languageChosen'>): Promise<Conversation>;
  update(id: string, patch: Partial<Pick<Conversation, 'language' | 'languageChosen' | 'awaitingCallbackContact'>>): Promise<Conversation | null>;
  /** Appends a message and returns it with its sequence number; the write is durable when this resolves. */
  appendMessage(conversationId: string, message: NewMessage): Promise<StoredMessage>;
  /** Messages with `seq > afterSeq`, oldest first, at most `limit`. */
  listMessages(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  /** Erases the conversation, its messages and its dialog state. Returns false when it did not exist. */
  erase(id: string): Promise<boolean>;
  /**
   * For analytics: every conversation that was alive at some time in [from, to] (ISO timestamps, both
   * inclusive) — created at or before `to` and last updated at or after `from` — with all its messages,
   * oldest first. Messages are not cut to the period, so the caller can still see the person's
   * question just before a bot answer at the period's start; it filters by `createdAt` itself.
   * MongoDB (issue #5): one aggregation, `$match` on createdAt/updatedAt, `$lookup` of the messages.
   */
  scan(from: string, to: string): AsyncIterable<ConversationActivity>;
}

/** One conversation with its messages, as `ConversationRepository.scan` yields it. */
export interface ConversationActivity {
  conversation: Conversation;
  messages: StoredMessage[];
}

/** Key-value store for Botkit dialog state, shaped like botbuilder's `Storage`. */
export interface DialogStateRepository {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Advisors (issue #4): accounts, escalations and the audit log.
// ---------------------------------------------------------------------------------------------

export type AdvisorRole = 'advisor' | 'admin';

export interface Advisor {
  id: string;
  /** Unique and stored lower-cased, so "A@b.de" and "a@B.de" are one account. */
  email: string;
  name: string;
  role: AdvisorRole;
  /** `scrypt$N$r$p$salt$hash` (src/advisors/password.ts); never leaves the server. */
  passwordHash: string;
  disabled: boolean;
  /**
   * Tokens issued before this moment are refused. Set when the account is disabled, so that enabling
   * it again does not bring back the tokens it had (they are stateless and live up to 30 minutes).
   */
  tokensValidFrom?: string;
  createdAt: string;
}

export type NewAdvisor = Pick<Advisor, 'email' | 'name' | 'role' | 'passwordHash'>;
export type AdvisorPatch = Partial<Pick<Advisor, 'disabled' | 'name' | 'role' | 'passwordHash' | 'tokensValidFrom'>>;

/** Thrown by `advisors.create` for an email that already has an account (any letter case). */
export class DuplicateEmailError extends Error {
  readonly code = 'duplicate_email' as const;
  constructor(email: string) {
    super(`an advisor with the email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

export interface AdvisorRepository {
  /** Rejects with DuplicateEmailError when the (lower-cased) email is taken. */
  create(advisor: NewAdvisor): Promise<Advisor>;
  get(id: string): Promise<Advisor | null>;
  getByEmail(email: string): Promise<Advisor | null>;
  /** Oldest first. */
  list(): Promise<Advisor[]>;
  update(id: string, patch: AdvisorPatch): Promise<Advisor | null>;
}

/** Why the bot handed over: the person asked, an urgent case, repeated fallbacks, negative feedback. */
export type EscalationReason = 'requested' | 'urgent' | 'fallback' | 'feedback';
export type EscalationPriority = 'urgent' | 'normal';
/**
 * queued → assigned (claimed by one advisor) → resolved | returned (to the bot);
 * callback: nobody was available and the person left a contact; it ends as resolved.
 */
export type EscalationStatus = 'queued' | 'assigned' | 'callback' | 'resolved' | 'returned';
/** An open escalation keeps the conversation away from the bot's normal flow. */
export const OPEN_ESCALATION_STATUSES: readonly EscalationStatus[] = ['queued', 'assigned', 'callback'];

export interface EscalationEntity {
  type: string;
  value: string;
}

/** Given by the person with explicit consent, only for a callback; deleted when the escalation closes. */
export interface CallbackContact {
  kind: 'email' | 'phone';
  value: string;
}

/** Internal note of an advisor; never shown to the person. */
export interface EscalationNote {
  at: string;
  advisorId: string;
  text: string;
}

/**
 * One handover of a conversation to humans. The transcript is not copied here: it is read from
 * `conversations.listMessages`, so erasing the conversation erases it (and the escalation) once.
 */
export interface Escalation {
  id: string;
  conversationId: string;
  reason: EscalationReason;
  priority: EscalationPriority;
  status: EscalationStatus;
  /** The person's language when the escalation was opened. */
  language: LanguageCode | null;
  /** Intents and entities seen in the conversation: the advisor's context at a glance. */
  intents: string[];
  entities: EscalationEntity[];
  advisorId?: string;
  callbackContact?: CallbackContact;
  notes: EscalationNote[];
  createdAt: string;
  claimedAt?: string;
  closedAt?: string;
  updatedAt: string;
}

export type NewEscalation = Pick<Escalation, 'conversationId' | 'reason' | 'priority' | 'language' | 'intents' | 'entities'> & {
  /** 'queued' (default) or 'callback' when nobody was available and the person left a contact. */
  status?: Extract<EscalationStatus, 'queued' | 'callback'>;
  callbackContact?: CallbackContact;
};

/**
 * What a compare-and-set may change. `callbackContact: undefined` with the key present removes it;
 * moving to 'resolved' or 'returned' removes it anyway and stamps `closedAt`.
 */
export type EscalationPatch = Partial<Pick<Escalation, 'status' | 'advisorId' | 'callbackContact' | 'claimedAt' | 'closedAt' | 'priority' | 'reason' | 'intents' | 'entities'>>;

/** Outcome of a compare-and-set: the new record, or why not (missing, or in another status). */
export type EscalationUpdate =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'status'; escalation: Escalation };

/**
 * Thrown by `escalations.create` when the conversation already has an open escalation: a person is
 * queued once. (MongoDB: a partial unique index on conversationId for the open statuses.)
 */
export class OpenEscalationExistsError extends Error {
  readonly code = 'open_escalation_exists' as const;
  constructor(readonly existing: Escalation) {
    super('the conversation already has an open escalation');
    this.name = 'OpenEscalationExistsError';
  }
}

export interface EscalationRepository {
  /** Rejects with OpenEscalationExistsError while the conversation has one in queued/assigned/callback. */
  create(escalation: NewEscalation): Promise<Escalation>;
  get(id: string): Promise<Escalation | null>;
  /** The conversation's escalation in status queued, assigned or callback, if any (at most one is kept open). */
  findOpenByConversation(conversationId: string): Promise<Escalation | null>;
  /** Urgent first, then oldest first. */
  list(filter?: { status?: EscalationStatus }): Promise<Escalation[]>;
  /** Every escalation (any status) of one conversation, oldest first: for the person's data export. */
  listByConversation(conversationId: string): Promise<Escalation[]>;
  /**
   * Escalations (any status) created in [from, to], ISO timestamps, both inclusive; oldest first.
   * For analytics; MongoDB: `find({ createdAt: { $gte: from, $lte: to } }).sort({ createdAt: 1 })`.
   */
  listCreatedBetween(from: string, to: string): Promise<Escalation[]>;
  /**
   * Atomic claim: succeeds only while the status is 'queued' (→ 'assigned', advisorId, claimedAt).
   * Of many concurrent claims exactly one wins. The embedded store checks and writes in one
   * synchronous step (no await between), so no other request can interleave; MongoDB will use
   * `findOneAndUpdate({ _id, status: 'queued' }, { $set: … }, { new: true })`, the same
   * compare-and-set done by the database.
   */
  claim(id: string, advisorId: string): Promise<EscalationUpdate>;
  /** Compare-and-set like `claim`: applies `patch` only when the current status is one of `from`. */
  transition(id: string, from: readonly EscalationStatus[], patch: EscalationPatch): Promise<EscalationUpdate>;
  /** Appends an internal note (any status). Returns null when the escalation does not exist. */
  addNote(id: string, note: EscalationNote): Promise<Escalation | null>;
}

export type AuditAction =
  | 'login.success'
  | 'login.failure'
  | 'login.locked'
  | 'login.unlock'
  | 'advisor.create'
  | 'advisor.update'
  | 'advisor.disable'
  | 'advisor.enable'
  | 'escalation.claim'
  | 'escalation.message'
  | 'escalation.note'
  | 'escalation.resolve'
  | 'escalation.return'
  | 'conversation.erase'
  | 'conversation.export';

/** Only ids, counts and enum-like values: never message texts, notes, passwords or contacts. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/**
 * The backend cannot be reached right now (MongoDB down or failing over). Mapped to 503 with
 * Retry-After in one place (errors.middleware.ts); nothing was written.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable' as const;
  constructor(cause?: unknown) {
    super('the data store is not reachable right now', { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface AuditEntry {
  id: string;
  at: string;
  /** Advisor id, or 'system' (start-up), 'cli', 'anonymous' (a login with an unknown email). */
  actorId: string;
  action: AuditAction;
  /** Id of the advisor or escalation acted on. */
  target?: string;
  details?: AuditDetails;
}

export interface AuditRepository {
  append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Newest first, at most `limit`. */
  list(filter: { limit: number; actorId?: string }): Promise<AuditEntry[]>;
}

/** What one retention sweep removed (counts only). */
export interface ExpiryResult {
  conversations: number;
  messages: number;
  escalations: number;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  readonly conversations: ConversationRepository;
  readonly dialogState: DialogStateRepository;
  readonly advisors: AdvisorRepository;
  readonly escalations: EscalationRepository;
  readonly audit: AuditRepository;
  /**
   * Retention (RETENTION_DAYS): removes every conversation last active before `cutoff` (ISO) with its
   * messages, dialog state and escalations, every message created before `cutoff`, and every
   * escalation last changed before `cutoff`. Advisors and the audit log (ids only) are kept.
   * MongoDB also has TTL indexes on the same fields as a backstop; this sweep does the cascade.
   */
  expire(cutoff: string): Promise<ExpiryResult>;
  /** True when the backend can take reads and writes right now (for /readyz). */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** The dialog-state key prefix Botkit uses for one conversation (see BotkitConversationState). */
export function dialogStatePrefix(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}-${conversationId}/`;
}
