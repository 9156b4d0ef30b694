import type { BotWorker, BotkitMessage } from 'botkit';
import type { HandoffReplies } from '../../answer/handoff-replies';
import type { Reply } from '../../answer/reply';
import { OUT_OF_SCOPE } from '../../content/intent-files';
import type { HandoffDesk } from '../../escalation/handoff-desk';
import type { Texts } from '../../i18n/i18n';
import type { ConversationRepository, EscalationReason } from '../../storage/store';
import type { HandoffOfferReason } from '../../nlu/fixed-buttons';
import type { NluResult } from '../../nlu/nlu.service';
import { toBotkitMessage } from '../botkit-message';
import { turnOf, type TurnInfo } from '../turn';

const HANDOFF_INTENT = 'handoff.request';
const URGENT_INTENT = 'escalation.urgent';
/** Entity type of intents/entities/crisis-terms.yaml: suicide, self-harm, violence against the person. */
const CRISIS_ENTITY = 'crisis';
/** While we wait for a contact, these are a failed try at one ("tomorrow morning"), not a new question. */
const NOT_A_QUESTION: ReadonlySet<string> = new Set([OUT_OF_SCOPE, 'greeting', 'thanks', 'goodbye']);

/** Unreadable answers to "your phone number or e-mail?" before the bot stops asking. */
const CONTACT_ATTEMPTS = 2;

export interface HandoffHandlerDeps {
  desk: HandoffDesk;
  replies: HandoffReplies;
  texts: Texts;
  conversations: ConversationRepository;
}

/**
 * The person's side of a handover: opening it (with what the advisor will see and who is there),
 * silence while an advisor owns the conversation, and the callback with explicit consent.
 */
export function createHandoffHandlers(deps: HandoffHandlerDeps) {
  const context = (bot: BotWorker) => {
    const turn = turnOf(bot.getConfig('context'));
    const language = turn.nlu?.language ?? turn.conversation.language ?? 'de';
    return { turn, language, t: deps.texts.forLanguage(language) };
  };
  const send = (bot: BotWorker, message: BotkitMessage, reply: Reply) => bot.reply(message, toBotkitMessage(reply)).then(() => undefined);

  /** Opens (or finds) the escalation and tells the person, in the same turn. */
  async function handOver(bot: BotWorker, message: BotkitMessage, reason: EscalationReason): Promise<void> {
    const { turn, language, t } = context(bot);
    await bot.cancelAllDialogs();
    const outcome = await deps.desk.request({ conversationId: turn.conversation.id, reason, language, entities: turn.nlu?.entities ?? [] });
    turn.escalation = outcome.escalation;
    const reply = deps.replies.handedOver(
      { ...outcome, hours: deps.desk.officeHoursFor(language), hasContact: Boolean(outcome.escalation.callbackContact) },
      t,
    );
    await send(bot, message, reply);
  }

  /** While an advisor owns the conversation the bot says nothing: the message is in the transcript for the advisor. */
  function ownedByAdvisor(turn: TurnInfo): boolean {
    return turn.escalation?.status === 'assigned';
  }

  /** The callback buttons: offer → consent question; agree → ask for the contact; decline → fine. */
  async function callbackStep(bot: BotWorker, message: BotkitMessage, step: string): Promise<void> {
    const { turn, t } = context(bot);
    const open = turn.escalation;
    if (!open || open.status === 'assigned') return send(bot, message, deps.replies.nothingOpen(t));
    if (step === 'agree') {
      turn.conversation = (await deps.conversations.update(turn.conversation.id, { awaitingCallbackContact: { escalationId: open.id, attempts: 0 } })) ?? turn.conversation;
      return send(bot, message, deps.replies.askContact(t));
    }
    if (step === 'decline') return send(bot, message, deps.replies.declined(t));
    return send(bot, message, deps.replies.askConsent(t));
  }

  /**
   * Whether this message answers "your phone number or e-mail?" (else it is a new question), or gives
   * the contact right away at "may we call you back?" (a yes with the number).
   */
  function isContactAnswer(turn: TurnInfo): boolean {
    if (turn.nlu?.payload) return false;
    if (turn.callbackContact) return true;
    return Boolean(turn.conversation.awaitingCallbackContact) && NOT_A_QUESTION.has(turn.nlu?.intent.name ?? OUT_OF_SCOPE);
  }

  async function contactAnswer(bot: BotWorker, message: BotkitMessage): Promise<void> {
    const { turn, t } = context(bot);
    const open = turn.escalation;
    const pending = turn.conversation.awaitingCallbackContact ?? (open ? { escalationId: open.id, attempts: 0 } : null);
    if (!pending) return send(bot, message, deps.replies.nothingOpen(t));
    const contact = turn.callbackContact;
    const saved = contact ? await deps.desk.leaveContact(pending.escalationId, contact) : null;
    if (contact && saved) {
      turn.escalation = saved;
      await deps.conversations.update(turn.conversation.id, { awaitingCallbackContact: null });
      if (turn.nlu) turn.nlu.intent = { name: 'handoff.request', confidence: 1 };
      return send(bot, message, deps.replies.contactSaved(contact, t));
    }
    if (contact) {
      // The escalation was closed meanwhile (an advisor resolved it): keep nothing.
      await deps.conversations.update(turn.conversation.id, { awaitingCallbackContact: null });
      return send(bot, message, deps.replies.nothingOpen(t));
    }
    const attempts = pending.attempts + 1;
    const givenUp = attempts >= CONTACT_ATTEMPTS;
    await deps.conversations.update(turn.conversation.id, { awaitingCallbackContact: givenUp ? null : { ...pending, attempts } });
    return send(bot, message, deps.replies.contactUnreadable(t, givenUp));
  }

  /** A new question while we waited for a contact: stop waiting, so a later number is not taken for one. */
  async function stopWaitingForContact(turn: TurnInfo): Promise<void> {
    if (turn.conversation.awaitingCallbackContact) {
      turn.conversation = (await deps.conversations.update(turn.conversation.id, { awaitingCallbackContact: null })) ?? turn.conversation;
    }
  }

  /**
   * Runs before any dialog: true when the message belonged to the handover (and was answered or,
   * while an advisor owns the conversation, deliberately not answered).
   */
  async function intercept(bot: BotWorker, message: BotkitMessage): Promise<boolean> {
    const { turn, language, t } = context(bot);
    const nlu = turn.nlu;
    if (!nlu) return false;
    if (ownedByAdvisor(turn)) return true;
    if (nlu.payload?.kind === 'callback') {
      await callbackStep(bot, message, nlu.payload.value);
      return true;
    }
    // A crisis term makes any message urgent, whatever the classifier read ("so much stress in my
    // Ausbildung I want to die" is about training too): a missed emergency costs more than a false alarm.
    if (!nlu.payload && nlu.entities.some((e) => e.type === CRISIS_ENTITY)) nlu.intent = { name: URGENT_INTENT, confidence: 1 };
    if (isContactAnswer(turn)) {
      await contactAnswer(bot, message);
      return true;
    }
    await stopWaitingForContact(turn);
    if (isShakyInterruption(bot, nlu)) {
      // Read on as a message the NLU did not understand: the dialog takes it as its answer.
      nlu.intent = { name: OUT_OF_SCOPE, confidence: 1 - nlu.intent.confidence };
      nlu.fallbackReason = 'low_confidence';
      return false;
    }
    if (nlu.intent.name === URGENT_INTENT) {
      // Safety first: the immediate contacts, then the handover with urgent priority.
      await send(bot, message, { text: deps.texts.forLanguage(language)('urgent.text') });
      await handOver(bot, message, 'urgent');
      return true;
    }
    if (nlu.intent.name === HANDOFF_INTENT && !nlu.payload && nlu.intent.confidence < SURE_ENOUGH_TO_INTERRUPT) {
      // Perhaps a wish for a person, perhaps not: ask, rather than put someone in the queue who did not ask for it.
      await send(bot, message, deps.replies.offer('requested', t));
      return true;
    }
    if (nlu.intent.name === HANDOFF_INTENT) {
      // The NLU lets through only the fixed values, each an escalation reason.
      const accepted = nlu.payload?.kind === 'handoff' ? (nlu.payload.value as HandoffOfferReason) : 'requested';
      await handOver(bot, message, accepted);
      return true;
    }
    return false;
  }

  return { intercept };
}

/**
 * Below this confidence a typed message that answers a dialog's question is the answer, not an
 * emergency or a wish for a person: an unknown word such as "beekeeper" for "Which profession?"
 * must neither end the dialog nor land in the urgent queue. Buttons and confident messages still
 * interrupt, and every dialog question offers "talk to an advisor".
 */
const SURE_ENOUGH_TO_INTERRUPT = 0.5;

function isShakyInterruption(bot: BotWorker, nlu: NluResult): boolean {
  const interrupting = nlu.intent.name === URGENT_INTENT || nlu.intent.name === HANDOFF_INTENT;
  return interrupting && !nlu.payload && nlu.intent.confidence < SURE_ENOUGH_TO_INTERRUPT && bot.hasActiveDialog();
}

export type HandoffHandlers = ReturnType<typeof createHandoffHandlers>;
