import type { BotWorker, BotkitMessage } from 'botkit';
import type { NluResult, NluService } from '../../nlu/nlu.service';
import type { Conversation, ConversationRepository } from '../../storage/store';
import { ACCEPT_HANDOFF_PAYLOAD, CALLBACK_PAYLOADS } from '../../answer/handoff-replies';
import { parseCallbackContact } from '../../escalation/callback-contact';
import { messagesBefore } from '../earlier-messages';
import { turnOf } from '../turn';

/** What the transcript shows instead of a phone number or e-mail given for a callback. */
export const CALLBACK_CONTACT_PLACEHOLDER = '[callback contact]';

/** The yes buttons of the bot's yes/no questions: hand over after a miss or "not helpful", agree to a callback. */
const YES_PAYLOADS: ReadonlySet<string> = new Set([ACCEPT_HANDOFF_PAYLOAD('fallback'), ACCEPT_HANDOFF_PAYLOAD('feedback'), CALLBACK_PAYLOADS.agree]);

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
      // A callback contact goes to the escalation only (deleted with it), never into the transcript.
      const isContact = Boolean(conversation.awaitingCallbackContact) && parseCallbackContact(message.text) !== null;
      // "ja" typed instead of pressing "Ja, weitergeben" means that button.
      const pressed = nlu.isAffirmation(message.text) ? await yesButtonOfLastReply(conversations, conversation) : undefined;
      // An e-mail address or a phone number says nothing about the language: the answer stays in the session's.
      const result = nlu.analyse(pressed ?? message.text, { language: conversation.language, chosen: conversation.languageChosen || (isContact && conversation.language !== null) });
      turn.nlu = result;
      observe(result);
      message.nlu = result;
      if (result.language !== conversation.language) {
        turn.conversation = (await conversations.update(conversation.id, { language: result.language })) ?? conversation;
      }
      const stored = isContact ? CALLBACK_CONTACT_PLACEHOLDER : message.text;
      await conversations.appendMessage(conversation.id, { role: 'user', text: stored, language: result.detected.language, intent: result.intent.name });
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}

/** The payload of the yes button under the bot's last message, when that message asked a yes/no question. */
async function yesButtonOfLastReply(conversations: ConversationRepository, conversation: Conversation): Promise<string | undefined> {
  const [last] = await messagesBefore(conversations, conversation, 1);
  if (last?.role !== 'bot') return undefined;
  return last.quickReplies?.find((q) => YES_PAYLOADS.has(q.payload))?.payload;
}
