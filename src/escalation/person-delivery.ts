import type { LanguageCode } from '../i18n/languages';
import type { Escalation } from '../storage/store';

/** How an escalation ended, for the bot's words to the person. */
export type HandBackKind = 'resolved' | 'returned';

/**
 * The advisor side's only way to reach the person; the bot side implements it
 * (src/dialog/person-delivery.ts). The advisor's message is already stored (role 'advisor') when
 * `deliver` is called, so the person also gets it through the messages route if the live push fails.
 */
export interface PersonDelivery {
  /**
   * Push an advisor's message to the person live (websocket), if they are connected. `seq` is the
   * stored message's sequence number: the web chat catches up from it after a reconnect without duplicates.
   */
  deliver(conversationId: string, text: string, seq: number): Promise<void>;
  /** An advisor claimed the escalation: the person learns, in `language`, that a person answers from now on. */
  takenOver(conversationId: string, language: LanguageCode, escalation: Escalation): Promise<void>;
  /** The advisor ended the escalation: the bot takes the conversation back and tells the person, in `language`. */
  handBack(conversationId: string, language: LanguageCode, kind: HandBackKind): Promise<void>;
}
