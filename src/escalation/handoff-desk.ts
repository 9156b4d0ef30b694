import type { Entity } from '../nlu/entities/entity-extractor';
import { OUT_OF_SCOPE } from '../content/intent-files';
import type { CallbackContact, ConversationRepository, Escalation, EscalationReason } from '../storage/store';
import type { LanguageCode } from '../i18n/languages';
import type { EscalationService } from './escalation.service';
import type { OfficeHours } from './office-hours';

export interface HandoffRequest {
  conversationId: string;
  reason: EscalationReason;
  language: LanguageCode;
  /** Entities of the current message; intents are read from the transcript. */
  entities: Entity[];
}

export interface HandoffOutcome {
  escalation: Escalation;
  /** The conversation was already waiting for (or with) an advisor. */
  alreadyOpen: boolean;
  officeOpen: boolean;
  advisorsOnline: number;
}

/** Transcript lines read for the advisor's context; older ones add little. */
const CONTEXT_MESSAGES = 200;

/**
 * The bot side of a handover: opens the escalation with the context an advisor needs (language,
 * topics, entities) and says whether anyone can take over now (office hours, advisors online).
 * Knows nothing of Botkit; the dialog layer turns the outcome into words.
 */
export class HandoffDesk {
  constructor(
    private readonly escalations: EscalationService,
    private readonly conversations: ConversationRepository,
    private readonly officeHours: OfficeHours,
    private readonly presence: { online(): number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(input: HandoffRequest): Promise<HandoffOutcome> {
    const existing = await this.escalations.openFor(input.conversationId);
    // An emergency after an ordinary request makes the waiting escalation urgent.
    const context = async () => ({ intents: await this.topics(input.conversationId), entities: input.entities.map((e) => ({ type: e.type, value: e.value })) });
    const kept = existing && input.reason === 'urgent' ? await this.escalations.raiseToUrgent(existing, await context()) : existing;
    const escalation =
      kept ??
      (await this.escalations.open({
        conversationId: input.conversationId,
        reason: input.reason,
        priority: input.reason === 'urgent' ? 'urgent' : 'normal',
        language: input.language,
        ...(await context()),
      }));
    return { escalation, alreadyOpen: existing !== null, officeOpen: this.officeHours.isOpen(this.now()), advisorsOnline: this.presence.online() };
  }

  openFor(conversationId: string): Promise<Escalation | null> {
    return this.escalations.openFor(conversationId);
  }

  leaveContact(escalationId: string, contact: CallbackContact): Promise<Escalation | null> {
    return this.escalations.leaveCallbackContact(escalationId, contact);
  }

  personWrote(escalation: Escalation): void {
    this.escalations.personWrote(escalation);
  }

  officeHoursFor(language: LanguageCode): string {
    return this.officeHours.describe(language);
  }

  /** Intents the person's messages had, most recent last, without repeats or fallbacks. */
  private async topics(conversationId: string): Promise<string[]> {
    const messages = await this.conversations.listMessages(conversationId, 0, CONTEXT_MESSAGES);
    const seen = new Set<string>();
    for (const m of messages) if (m.role === 'user' && m.intent && m.intent !== OUT_OF_SCOPE) seen.add(m.intent);
    return [...seen];
  }
}
