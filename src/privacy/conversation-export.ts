/**
 * The person's copy of their data (GDPR Art. 15): one JSON document per conversation, built from the
 * storage interface only, so it is the same for every backend. Served to the person with their
 * session token and to admins who answer an access request on the person's behalf.
 */
import type { LanguageCode } from '../i18n/languages';
import type {
  CallbackContact,
  ConversationRepository,
  EscalationEntity,
  EscalationPriority,
  EscalationReason,
  EscalationRepository,
  EscalationStatus,
  MessageRole,
  Source,
  StoredMessage,
} from '../storage/store';

/** Messages asked for per `listMessages` call; the export pages on, so a long conversation is never cut. */
const PAGE_SIZE = 200;

export interface ConversationExport {
  format: 'zemigra.conversation-export';
  version: 1;
  exportedAt: string;
  retention: { days: number; statement: string };
  /** Never the token hash: it is a credential, not information about the person. */
  conversation: { id: string; language: LanguageCode | null; createdAt: string; updatedAt: string };
  messages: ExportedMessage[];
  escalations: ExportedEscalation[];
}

export interface ExportedMessage {
  seq: number;
  role: MessageRole;
  text: string;
  language: LanguageCode | null;
  createdAt: string;
  intent: string | null;
  sources: Source[];
}

/**
 * A handover as the person may see it. Advisor ids and internal notes stay out: they are the
 * advisors' working data, not the person's. The callback contact is the person's own and stays in
 * while it is stored (it is deleted when the callback is closed).
 */
export interface ExportedEscalation {
  id: string;
  status: EscalationStatus;
  reason: EscalationReason;
  priority: EscalationPriority;
  language: LanguageCode | null;
  /** What the advisor was shown as context (the bot tells the person so before handing over). */
  topics: { intents: string[]; entities: EscalationEntity[] };
  createdAt: string;
  closedAt: string | null;
  callbackContact: CallbackContact | null;
}

export interface ConversationExporterDeps {
  conversations: Pick<ConversationRepository, 'get' | 'listMessages'>;
  escalations: Pick<EscalationRepository, 'listByConversation'>;
  retentionDays: number;
  now?: () => Date;
}

export class ConversationExporter {
  private readonly now: () => Date;

  constructor(private readonly deps: ConversationExporterDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The export, or null when there is no conversation with this id. */
  async export(conversationId: string): Promise<ConversationExport | null> {
    const conversation = await this.deps.conversations.get(conversationId);
    if (!conversation) return null;
    const messages = await this.allMessages(conversationId);
    const escalations = await this.deps.escalations.listByConversation(conversationId);
    const days = this.deps.retentionDays;
    return {
      format: 'zemigra.conversation-export',
      version: 1,
      exportedAt: this.now().toISOString(),
      retention: {
        days,
        statement:
          `Conversations are deleted ${days} days after their last message, single messages ${days} days after they were written. ` +
          'You can delete this conversation earlier at any time in the chat. A callback contact is deleted when the callback is closed.',
      },
      conversation: { id: conversation.id, language: conversation.language, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt },
      messages: messages.map(exportedMessage),
      escalations: escalations.map((e) => ({
        id: e.id,
        status: e.status,
        reason: e.reason,
        priority: e.priority,
        language: e.language,
        topics: { intents: [...e.intents], entities: e.entities.map((x) => ({ type: x.type, value: x.value })) },
        createdAt: e.createdAt,
        closedAt: e.closedAt ?? null,
        callbackContact: e.callbackContact ? { kind: e.callbackContact.kind, value: e.callbackContact.value } : null,
      })),
    };
  }

  private async allMessages(conversationId: string): Promise<StoredMessage[]> {
    const all: StoredMessage[] = [];
    let after = 0;
    for (;;) {
      const page = await this.deps.conversations.listMessages(conversationId, after, PAGE_SIZE);
      // Only an empty page is the end: a backend may cap pages below PAGE_SIZE ("at most `limit`").
      // A page that does not move the cursor forward ends it too, so a faulty backend cannot loop us.
      if (!page.length || page[page.length - 1].seq <= after) return all;
      all.push(...page);
      after = page[page.length - 1].seq;
    }
  }
}

/** Fields picked one by one, so a field added to StoredMessage later is not exported unseen. */
function exportedMessage(m: StoredMessage): ExportedMessage {
  return {
    seq: m.seq,
    role: m.role,
    text: m.text,
    language: m.language,
    createdAt: m.createdAt,
    intent: m.intent ?? null,
    sources: (m.sources ?? []).map((s) => ({ title: s.title, url: s.url })),
  };
}

