import type { EscalationEvents } from '../escalation/escalation-events';
import type { ConversationRepository, EscalationRepository } from '../storage/store';

export interface ErasureDeps {
  conversations: Pick<ConversationRepository, 'erase'>;
  escalations: Pick<EscalationRepository, 'listByConversation'>;
  events: EscalationEvents;
}

/**
 * Erases a conversation with its messages and escalations (GDPR Art. 17), asked by the person or by
 * an admin, and tells the advisor consoles (`escalation.erased`), so none goes on showing a case that
 * is gone.
 */
export class ConversationErasure {
  constructor(private readonly deps: ErasureDeps) {}

  /** Whether there was a conversation to erase, and how many escalations went with it. */
  async erase(sessionId: string): Promise<{ erased: boolean; escalations: number }> {
    // Listed before, because afterwards there is nothing left to list.
    const escalations = await this.deps.escalations.listByConversation(sessionId);
    if (!(await this.deps.conversations.erase(sessionId))) return { erased: false, escalations: 0 };
    const at = new Date().toISOString();
    for (const escalation of escalations) this.deps.events.publish({ type: 'escalation.erased', escalationId: escalation.id, at });
    return { erased: true, escalations: escalations.length };
  }
}
