import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The MongoDB documents behind the Store interface. Timestamps are BSON dates (TTL indexes need
 * them) and become ISO strings at the repository boundary. Schemas are strict and validated, so a
 * document with a wrong shape is refused by mongoose before it reaches the database.
 *
 * `order` breaks ties between records created in the same millisecond, so "oldest first" is the
 * creation order on MongoDB as it is on the embedded store.
 */

const language = () => ({ type: String, default: null, match: /^[a-z]{2}$/ });
/** A nested record without its own _id (quick replies, sources, entities, notes, contacts). */
const part = (definition: Record<string, unknown>) => new Schema(definition, { _id: false, strict: 'throw' });
const requiredString = () => ({ type: String, required: true });

const SCHEMA_OPTIONS = { bufferCommands: false, strict: 'throw', strictQuery: true, versionKey: false, autoIndex: false, autoCreate: false } as const;

export interface ConversationDoc {
  _id: string;
  tokenHash: string;
  language: string | null;
  languageChosen: boolean;
  lastSeq: number;
  awaitingCallbackContact?: { escalationId: string; attempts: number } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageDoc {
  conversationId: string;
  seq: number;
  role: 'user' | 'bot' | 'advisor';
  text: string;
  language: string | null;
  createdAt: Date;
  intent?: string;
  quickReplies?: Array<{ title: string; payload: string }>;
  sources?: Array<{ title: string; url: string }>;
  unanswered?: boolean;
}

export interface DialogStateDoc {
  _id: string;
  /** JSON text: Botkit state may hold keys MongoDB refuses as field names ("$…", dots). */
  value: string;
  updatedAt: Date;
}

export interface AdvisorDoc {
  _id: string;
  email: string;
  name: string;
  role: 'advisor' | 'admin';
  passwordHash: string;
  disabled: boolean;
  tokensValidFrom?: Date;
  createdAt: Date;
  order: number;
}

export interface EscalationDoc {
  _id: string;
  conversationId: string;
  reason: 'requested' | 'urgent' | 'fallback' | 'feedback';
  priority: 'urgent' | 'normal';
  /** 0 for urgent, 1 for normal: the queue index sorts on it. */
  priorityRank: number;
  status: 'queued' | 'assigned' | 'callback' | 'resolved' | 'returned';
  /** True in queued/assigned/callback: a partial unique index keeps one open escalation per conversation. */
  open: boolean;
  language: string | null;
  intents: string[];
  entities: Array<{ type: string; value: string }>;
  advisorId?: string;
  callbackContact?: { kind: 'email' | 'phone'; value: string };
  notes: Array<{ at: Date; advisorId: string; text: string }>;
  createdAt: Date;
  claimedAt?: Date;
  closedAt?: Date;
  updatedAt: Date;
  order: number;
}

export interface AuditDoc {
  _id: string;
  at: Date;
  actorId: string;
  action: string;
  target?: string;
  details?: Record<string, string | number | boolean | null>;
  order: number;
}

export interface Models {
  Conversation: Model<ConversationDoc>;
  Message: Model<MessageDoc>;
  DialogState: Model<DialogStateDoc>;
  Advisor: Model<AdvisorDoc>;
  Escalation: Model<EscalationDoc>;
  Audit: Model<AuditDoc>;
}

/** The schemas with their indexes; `retentionDays` sets the TTL indexes (synced at connect). */
export function defineModels(connection: Connection, retentionDays: number): Models {
  const ttl = { expireAfterSeconds: retentionDays * 24 * 60 * 60 };

  const conversation = new Schema<ConversationDoc>(
    {
      _id: { type: String, required: true },
      tokenHash: { type: String, required: true },
      language: language(),
      languageChosen: { type: Boolean, required: true },
      lastSeq: { type: Number, required: true, min: 0 },
      awaitingCallbackContact: {
        type: part({ escalationId: requiredString(), attempts: { type: Number, required: true, min: 0 } }),
        default: null,
      },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    { ...SCHEMA_OPTIONS, collection: 'conversations' },
  );
  conversation.index({ updatedAt: 1 }, ttl);
  conversation.index({ createdAt: 1 });

  const message = new Schema<MessageDoc>(
    {
      conversationId: { type: String, required: true },
      seq: { type: Number, required: true, min: 1 },
      role: { type: String, required: true, enum: ['user', 'bot', 'advisor'] },
      text: { type: String, required: true },
      language: language(),
      createdAt: { type: Date, required: true },
      intent: String,
      quickReplies: { type: [part({ title: requiredString(), payload: requiredString() })], default: undefined },
      sources: { type: [part({ title: requiredString(), url: requiredString() })], default: undefined },
      unanswered: Boolean,
    },
    { ...SCHEMA_OPTIONS, collection: 'messages' },
  );
  message.index({ conversationId: 1, seq: 1 }, { unique: true });
  message.index({ createdAt: 1 }, ttl);

  const dialogState = new Schema<DialogStateDoc>(
    {
      _id: { type: String, required: true },
      value: { type: String, required: true },
      updatedAt: { type: Date, required: true },
    },
    { ...SCHEMA_OPTIONS, collection: 'dialogstates' },
  );
  dialogState.index({ updatedAt: 1 }, ttl);

  const advisor = new Schema<AdvisorDoc>(
    {
      _id: { type: String, required: true },
      email: { type: String, required: true, lowercase: true, trim: true },
      name: { type: String, required: true },
      role: { type: String, required: true, enum: ['advisor', 'admin'] },
      passwordHash: { type: String, required: true },
      disabled: { type: Boolean, required: true },
      tokensValidFrom: { type: Date },
      createdAt: { type: Date, required: true },
      order: { type: Number, required: true },
    },
    { ...SCHEMA_OPTIONS, collection: 'advisors' },
  );
  advisor.index({ email: 1 }, { unique: true });

  const escalation = new Schema<EscalationDoc>(
    {
      _id: { type: String, required: true },
      conversationId: { type: String, required: true },
      reason: { type: String, required: true, enum: ['requested', 'urgent', 'fallback', 'feedback'] },
      priority: { type: String, required: true, enum: ['urgent', 'normal'] },
      priorityRank: { type: Number, required: true, enum: [0, 1] },
      status: { type: String, required: true, enum: ['queued', 'assigned', 'callback', 'resolved', 'returned'] },
      open: { type: Boolean, required: true },
      language: language(),
      intents: { type: [String], default: [] },
      entities: { type: [part({ type: requiredString(), value: requiredString() })], default: [] },
      advisorId: String,
      callbackContact: {
        type: part({ kind: { type: String, required: true, enum: ['email', 'phone'] }, value: requiredString() }),
        default: undefined,
      },
      notes: { type: [part({ at: { type: Date, required: true }, advisorId: requiredString(), text: requiredString() })], default: [] },
      createdAt: { type: Date, required: true },
      claimedAt: Date,
      closedAt: Date,
      updatedAt: { type: Date, required: true },
      order: { type: Number, required: true },
    },
    { ...SCHEMA_OPTIONS, collection: 'escalations' },
  );
  // The queue: GET /api/v1/escalations?status=… sorted urgent first, then oldest first.
  escalation.index({ status: 1, priorityRank: 1, createdAt: 1, order: 1 });
  escalation.index({ conversationId: 1 }, { unique: true, partialFilterExpression: { open: true }, name: 'one_open_escalation_per_conversation' });
  escalation.index({ conversationId: 1, createdAt: 1 });
  escalation.index({ createdAt: 1 });
  escalation.index({ updatedAt: 1 }, ttl);

  const audit = new Schema<AuditDoc>(
    {
      _id: { type: String, required: true },
      at: { type: Date, required: true },
      actorId: { type: String, required: true },
      action: { type: String, required: true },
      target: String,
      details: { type: Schema.Types.Mixed, default: undefined },
      order: { type: Number, required: true },
    },
    { ...SCHEMA_OPTIONS, collection: 'audit' },
  );
  audit.index({ at: -1, order: -1 });
  audit.index({ actorId: 1, at: -1, order: -1 });

  return {
    Conversation: connection.model<ConversationDoc>('Conversation', conversation),
    Message: connection.model<MessageDoc>('Message', message),
    DialogState: connection.model<DialogStateDoc>('DialogState', dialogState),
    Advisor: connection.model<AdvisorDoc>('Advisor', advisor),
    Escalation: connection.model<EscalationDoc>('Escalation', escalation),
    Audit: connection.model<AuditDoc>('Audit', audit),
  };
}
