import type { LanguageCode } from '../i18n/languages';

/** How an escalation ended, for the bot's words to the person. */
export type HandBackKind = 'resolved' | 'returned';

/**
 * The advisor side's only way to reach the person; the bot side implements it (issue #4, wired by
 * the dialog layer). The advisor's message is already stored (role 'advisor') when `deliver` is
 * called, so the person also gets it through the messages route if the live push fails.
 */
export interface PersonDelivery {
  /** Push an advisor's message to the person live (websocket), if they are connected. */
  deliver(conversationId: string, text: string): Promise<void>;
  /** The advisor ended the escalation: the bot takes the conversation back and tells the person, in `language`. */
  handBack(conversationId: string, language: LanguageCode, kind: HandBackKind): Promise<void>;
}

/**
 * Until the bot side is wired: nothing beyond the stored message is sent (the person sees advisor
 * messages through the messages route), and hand-backs are silent.
 */
export const storedOnlyPersonDelivery: PersonDelivery = {
  deliver: async () => undefined,
  handBack: async () => undefined,
};
