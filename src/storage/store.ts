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
}

export type NewMessage = Omit<StoredMessage, 'seq' | 'createdAt' | 'conversationId'>;

export interface ConversationRepository {
  get(id: string): Promise<Conversation | null>;
  create(conversation: Pick<Conversation, 'id' | 'tokenHash' | 'language' | 'languageChosen'>): Promise<Conversation>;
  update(id: string, patch: Partial<Pick<Conversation, 'language' | 'languageChosen'>>): Promise<Conversation | null>;
  /** Appends a message and returns it with its sequence number; the write is durable when this resolves. */
  appendMessage(conversationId: string, message: NewMessage): Promise<StoredMessage>;
  /** Messages with `seq > afterSeq`, oldest first, at most `limit`. */
  listMessages(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  /** Erases the conversation, its messages and its dialog state. Returns false when it did not exist. */
  erase(id: string): Promise<boolean>;
}

/** Key-value store for Botkit dialog state, shaped like botbuilder's `Storage`. */
export interface DialogStateRepository {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  readonly conversations: ConversationRepository;
  readonly dialogState: DialogStateRepository;
  /** True when the backend can take reads and writes right now (for /readyz). */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** The dialog-state key prefix Botkit uses for one conversation (see BotkitConversationState). */
export function dialogStatePrefix(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}-${conversationId}/`;
}
