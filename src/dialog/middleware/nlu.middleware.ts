import type { BotWorker, BotkitMessage } from 'botkit';
import type { NluResult, NluService } from '../../nlu/nlu.service';
import type { ConversationRepository } from '../../storage/store';
import { parseCallbackContact } from '../../escalation/callback-contact';
import { turnOf } from '../turn';

/** What the transcript shows instead of a phone number or e-mail given for a callback. */
export const CALLBACK_CONTACT_PLACEHOLDER = '[callback contact]';

/**
 * Ingest middleware: language, intent and entities for every message, also inside dialogs, so a
 * request for a human or an urgent message can interrupt any dialog. Stores the person's message
 * (durably, before any answer) with its intent.
 */
export function nluMiddleware(nlu: NluService, conversations: ConversationRepository, observe: (result: NluResult) => void = () => undefined) {
  return async (bot: BotWorker, message: BotkitMessage, next: (err?: Error) => void): Promise<void> => {
    try {
      if (message.type !== 'message' || typeof message.text !== 'string') return next();
      const turn = turnOf(bot.getConfig('context'));
      const { conversation } = turn;
      const result = nlu.analyse(message.text, { language: conversation.language, chosen: conversation.languageChosen });
      turn.nlu = result;
      observe(result);
      message.nlu = result;
      if (result.language !== conversation.language) {
        turn.conversation = (await conversations.update(conversation.id, { language: result.language })) ?? conversation;
      }
      // A callback contact goes to the escalation only (deleted with it), never into the transcript.
      const isContact = Boolean(conversation.awaitingCallbackContact) && parseCallbackContact(message.text) !== null;
      const stored = isContact ? CALLBACK_CONTACT_PLACEHOLDER : message.text;
      await conversations.appendMessage(conversation.id, { role: 'user', text: stored, language: result.detected.language, intent: result.intent.name });
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
