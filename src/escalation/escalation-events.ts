import type { EscalationPriority, EscalationReason, EscalationStatus } from '../storage/store';
import type { LanguageCode } from '../i18n/languages';

/**
 * What happened to an escalation, for the advisor console's live updates and the outgoing webhook.
 * Ids, enums and times only: never a message text, a note or a contact. A console that needs the
 * text loads the escalation with the advisor's token, so access rules stay in one place.
 */
export type EscalationEvent =
  | {
      type: 'escalation.created';
      escalationId: string;
      status: EscalationStatus;
      priority: EscalationPriority;
      reason: EscalationReason;
      language: LanguageCode | null;
      at: string;
    }
  | { type: 'escalation.updated'; escalationId: string; status: EscalationStatus; advisorId: string | null; at: string }
  | { type: 'escalation.message'; escalationId: string; role: 'user' | 'advisor' | 'bot'; at: string }
  /** The person's conversation was erased (by them or an admin), and the escalation with it. */
  | { type: 'escalation.erased'; escalationId: string; at: string };

export type EscalationEventListener = (event: EscalationEvent) => void;

/** In-process publish/subscribe. A failing listener is isolated: it cannot break the publisher or other listeners. */
export class EscalationEvents {
  private readonly listeners = new Set<EscalationEventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  subscribe(listener: EscalationEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: EscalationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
