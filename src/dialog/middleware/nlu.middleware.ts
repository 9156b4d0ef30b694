import type { BotWorker, BotkitMessage } from 'botkit';
import type { NluResult, NluService } from '../../nlu/nlu.service';
import type { CallbackContact, Conversation, ConversationRepository, QuickReply } from '../../storage/store';
import { ACCEPT_HANDOFF_PAYLOAD, CALLBACK_PAYLOADS } from '../../answer/handoff-replies';
import { FIXED_BUTTONS } from '../../nlu/fixed-buttons';
import { parseCallbackContact } from '../../escalation/callback-contact';
import { messagesBefore } from '../earlier-messages';
import type { OfferedLabels } from '../offered-labels';
import { turnOf } from '../turn';

/** What the transcript shows instead of a phone number or e-mail given for a callback. */
export const CALLBACK_CONTACT_PLACEHOLDER = '[callback contact]';

/** The yes buttons of the bot's yes/no questions: hand over (after a miss, "not helpful", an unsure request), agree to a callback. */
const YES_PAYLOADS: ReadonlySet<string> = new Set([...FIXED_BUTTONS.handoff.map(ACCEPT_HANDOFF_PAYLOAD), CALLBACK_PAYLOADS.agree]);
/** The no buttons: decline a callback. (The handover offers have none: a typed no there is just no.) */
const NO_PAYLOADS: ReadonlySet<string> = new Set([CALLBACK_PAYLOADS.decline]);

/**
 * Ingest middleware: language, intent and entities for every message, also inside dialogs, so a
 * request for a human or an urgent message can interrupt any dialog. Stores the person's message
 * (durably, before any answer) with its intent. A message that stands for a button under the last
 * answer (its label typed, a yes or no to a yes/no question, a contact at "may we call you back?") is
 * read as that button.
 */
export function nluMiddleware(nlu: NluService, conversations: ConversationRepository, labels: OfferedLabels, observe: (result: NluResult) => void = () => undefined) {
  return async (bot: BotWorker, message: BotkitMessage, next: (err?: Error) => void): Promise<void> => {
    try {
      if (message.type !== 'message' || typeof message.text !== 'string') return next();
      const turn = turnOf(bot.getConfig('context'));
      const { conversation } = turn;
      const typed = readTyped(nlu, labels, message.text);
      // Only a message that could stand for a button costs a look at the last answer.
      const buttons = typed.couldBeButton && conversation.lastSeq > 0 ? await lastAnswerButtons(conversations, conversation) : [];
      // A callback contact goes to the escalation only (deleted with it), never into the transcript.
      const askedForContact = Boolean(conversation.awaitingCallbackContact) || buttons.some((b) => b.payload === CALLBACK_PAYLOADS.agree);
      const contact = askedForContact ? typed.contact : null;
      if (contact) turn.callbackContact = contact;
      const isContact = contact !== null;
      const pressed = isContact ? undefined : pressedButton(typed, buttons, labels);
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
      // The transcript keeps what was typed; the rest of the turn is the button press it stands for.
      if (pressed) message.text = pressed;
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}

/** Longer than any button label: such a message is a question, and no typed button. */
const MAX_LABEL_LENGTH = 120;
/** The bot's messages of one turn (an answer, then a question with buttons, say) are never more. */
const LAST_REPLIES = 4;

interface TypedMessage {
  /** The phrase key (NluService.phraseKey), or '' for a message too long to be a label. */
  key: string;
  shortReply?: 'yes' | 'no';
  contact: CallbackContact | null;
  couldBeButton: boolean;
}

function readTyped(nlu: NluService, labels: OfferedLabels, text: string): TypedMessage {
  const key = text.length <= MAX_LABEL_LENGTH ? nlu.phraseKey(text) : '';
  const shortReply = nlu.shortReplyOf(key);
  const contact = parseCallbackContact(text);
  return { key, shortReply, contact, couldBeButton: shortReply !== undefined || labels.has(key) || contact !== null };
}

/** The buttons under the bot's last answer: the messages after the last one of the person or an advisor. */
async function lastAnswerButtons(conversations: ConversationRepository, conversation: Conversation): Promise<QuickReply[]> {
  const recent = await messagesBefore(conversations, conversation, LAST_REPLIES);
  const answerStart = recent.map((m) => m.role !== 'bot').lastIndexOf(true) + 1;
  return recent.slice(answerStart).flatMap((m) => m.quickReplies ?? []);
}

/**
 * The payload of a button under the bot's last answer that the person typed instead of pressing it:
 * its label ("Deutsch lernen", "Check a hire (5 questions)"), or a plain yes ("ja", "نعم") or no
 * ("nein", "ні") where the answer asked a yes/no question ("Soll ich … weitergeben?").
 */
function pressedButton(typed: TypedMessage, buttons: QuickReply[], labels: OfferedLabels): string | undefined {
  const labelled = typed.key === '' ? undefined : buttons.find((b) => labels.keyOf(b.title) === typed.key);
  if (labelled) return labelled.payload;
  if (typed.shortReply === 'yes') return buttons.find((b) => YES_PAYLOADS.has(b.payload))?.payload;
  if (typed.shortReply === 'no') return buttons.find((b) => NO_PAYLOADS.has(b.payload))?.payload;
  return undefined;
}
