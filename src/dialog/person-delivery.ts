import type { HandoffReplies } from '../answer/handoff-replies';
import type { HandBackKind, PersonDelivery } from '../escalation/person-delivery';
import type { Texts } from '../i18n/i18n';
import type { LanguageCode } from '../i18n/languages';
import type { ConversationRepository, Escalation } from '../storage/store';
import { personEscalation } from './turn';

/** The part of the channel adapter that reaches a person's open web chat. */
export interface LiveChannel {
  deliver(sessionId: string, message: { type: string; text: string; [key: string]: unknown }): boolean;
}

/**
 * How advisor messages and hand-backs reach the person: stored first (the messages route shows
 * them), then pushed live over the person's websocket if it is open. The web chat tells advisor
 * messages from bot messages by `role`.
 */
export function botPersonDelivery(channel: LiveChannel, conversations: ConversationRepository, texts: Texts, replies: HandoffReplies): PersonDelivery {
  /** A bot message about the escalation: stored, then pushed with the escalation as the person sees it now. */
  const tell = async (conversationId: string, language: LanguageCode, text: string, escalation: Escalation | null) => {
    const stored = await conversations.appendMessage(conversationId, { role: 'bot', text, language });
    channel.deliver(conversationId, { type: 'message', text, role: 'bot', escalation: escalation && personEscalation(escalation), language, cursor: String(stored.seq) });
  };
  return {
    deliver: async (conversationId: string, text: string, seq: number) => {
      channel.deliver(conversationId, { type: 'message', text, role: 'advisor', cursor: String(seq) });
    },
    takenOver: (conversationId: string, language: LanguageCode, escalation: Escalation) =>
      tell(conversationId, language, replies.takenOver(texts.forLanguage(language)).text, escalation),
    handBack: (conversationId: string, language: LanguageCode, kind: HandBackKind) => tell(conversationId, language, replies.handBack(kind, texts.forLanguage(language)).text, null),
  };
}
