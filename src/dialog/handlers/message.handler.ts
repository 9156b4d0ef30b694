import type { BotWorker, BotkitMessage } from 'botkit';
import type { AnswerComposer, FixedAnswerButtons } from '../../answer/answer-composer';
import type { HandoffReplies } from '../../answer/handoff-replies';
import type { Reply } from '../../answer/reply';
import { OUT_OF_SCOPE } from '../../content/intent-files';
import type { Texts } from '../../i18n/i18n';
import { guidePayload } from '../../knowledge/guide-answers';
import type { GuideBook } from '../../knowledge/guides';
import type { Article } from '../../knowledge/articles';
import type { KnowledgeBase } from '../../knowledge/knowledge-base';
import type { NluResult, NluService } from '../../nlu/nlu.service';
import { AMBIGUOUS_PROFESSION, type ReferenceData } from '../../knowledge/reference-data';
import type { Conversation, ConversationRepository } from '../../storage/store';
import { toBotkitMessage } from '../botkit-message';
import { messagesBefore } from '../earlier-messages';
import { GUIDE_DIALOG, type GuideDialogOptions } from '../dialogs/guide.dialog';
import { PROFESSION_DIALOG } from '../dialogs/profession.dialog';
import { turnOf } from '../turn';

/** Intents whose answer depends on the profession, when one is named. */
const PROFESSION_INTENTS = new Set(['recognition.authority', 'recognition.need', 'recognition.academic']);
/** Intents that ask back for the profession when none is named. */
const ASK_PROFESSION_INTENTS = new Set(['recognition.authority']);
/** Messages read back to find the bot's previous reply (a turn stores the question and one or two replies). */
const RECENT_MESSAGES = 4;
/**
 * How far back what the person named still counts: a place for the chamber of their area ("I live in
 * Zeitz" … "I am a baker"), a profession for a follow-up ("I am a nurse" … "Where do I apply?").
 */
const LOOKBACK_MESSAGES = 20;
/** How far back a question of aspects only ("Was kostet das?") looks for its topic: about three turns. */
const TOPIC_LOOKBACK_MESSAGES = 8;
/** Messages that ask nothing we answer: a short one with a place in it tells us where the person lives or works. */
const NO_QUESTION_INTENTS = new Set([OUT_OF_SCOPE, 'greeting', 'goodbye', 'thanks']);
const STATEMENT_MAX_WORDS = 8;
/**
 * Buttons under the fixed answers that are not just the way to an advisor: the topics, so the person
 * can go on; for "what can you do?" and "I need help" also the advisor, since a person is the other help on offer.
 */
const FIXED_ANSWER_BUTTONS: Record<string, FixedAnswerButtons> = { greeting: 'topics', thanks: 'topics', 'bot.capabilities': 'topics+advisor' };

export interface MessageHandlerDeps {
  composer: AnswerComposer;
  handoffReplies: HandoffReplies;
  conversations: ConversationRepository;
  knowledge: KnowledgeBase;
  reference: ReferenceData;
  guides: GuideBook;
  texts: Texts;
  nlu: Pick<NluService, 'entities' | 'otherQuestions' | 'asksAboutEarlierTopic'>;
}

/**
 * The story of an understood message: a quick-reply article, a guide, a profession answer (or the question
 * for the profession), a knowledge article for the intent, a fixed text, or the honest fallback.
 */
export function createMessageHandler(deps: MessageHandlerDeps) {
  return async function answerTurn(bot: BotWorker, message: BotkitMessage, options: { askedForProfession?: boolean } = {}): Promise<void> {
    const turn = turnOf(bot.getConfig('context'));
    const nlu = turn.nlu;
    if (!nlu) return;
    const { language } = nlu;
    const intent = nlu.intent.name;
    const t = deps.texts.forLanguage(language);
    const reply = (r: Reply) => bot.reply(message, toBotkitMessage(r)).then(() => undefined);

    if (nlu.payload?.kind === 'feedback') {
      return reply(nlu.payload.value === 'helpful' ? deps.composer.fixed('answers.thanks', language, t, 'topics') : deps.handoffReplies.offer('feedback', t));
    }
    const linked = nlu.payload?.kind === 'article' ? deps.knowledge.article(nlu.payload.value) : undefined;
    if (linked) return reply(deps.composer.article(linked, language, t));
    // "guide:<id>" starts a guide; an answer button of a finished guide starts it again with that answer.
    const started = nlu.payload?.kind === 'guide' ? guidePayload(deps.guides, nlu.payload.value) : undefined;
    if (started) {
      const options: GuideDialogOptions = { guide: started.guide.id, answers: started.answers };
      return bot.beginDialog(GUIDE_DIALOG, options);
    }

    // "Was kostet das?" after "Bekomme ich BAB?" asks what BAB costs: the classifier alone would answer
    // what recognition costs (only recognition has intents for costs, duration, where and papers).
    const topic = options.askedForProfession || !isAspectQuestion(deps, nlu, message.text ?? '') ? undefined : await earlierTopic(deps, turn.conversation);
    if (topic && family(topic.intent) !== family(intent)) {
      const found = deps.knowledge.answerFor({ language, intent: topic.intent, text: `${topic.text} ${message.text ?? ''}`, entities: nlu.entities });
      if (found) {
        nlu.intent = { name: topic.intent, confidence: nlu.intent.confidence };
        return reply(deps.composer.article(found.article, language, t));
      }
    }

    // "ok", "nein", "weiß nicht" that answer no question of ours: acknowledged, not "not understood".
    if (nlu.fallbackReason === 'short_reply') return reply(deps.composer.fixed('answers.acknowledged', language, t, 'topics'));

    const named = (type: string) => nlu.entities.find((e) => e.type === type)?.value;
    const ambiguous = named(AMBIGUOUS_PROFESSION);
    let earlier: Promise<NamedBefore> | undefined;
    const namedEarlier = () => (earlier ??= namedBefore(deps, turn.conversation));
    // A profession named without a question we understand ("Ich bin Krankenschwester aus Syrien"),
    // with a hello ("hallo ich friseur aus türkei"), or in answer to our question, is best served by
    // the recognition card for it.
    const wantsProfessionAnswer = PROFESSION_INTENTS.has(intent) || options.askedForProfession || intent === OUT_OF_SCOPE || intent === 'greeting';
    // "Ich wohne in Zeitz" after the profession was named: the same card, now for that area.
    const placeStatement = named('place') !== undefined && NO_QUESTION_INTENTS.has(intent) && isStatement(message.text ?? '');
    // "Wer ist zuständig?" one message after "Ich bin Krankenpfleger" means the nurse's recognition.
    const followsUp = (PROFESSION_INTENTS.has(intent) || placeStatement) && !ambiguous;
    const professionId = named('profession') ?? (followsUp ? (await namedEarlier()).profession : undefined);
    const profession = professionId ? deps.reference.profession(professionId) : undefined;
    if (profession && (wantsProfessionAnswer || placeStatement)) {
      if (!PROFESSION_INTENTS.has(intent)) nlu.intent = { name: 'recognition.authority', confidence: 1 };
      const place = named('place') ?? (await namedEarlier()).place;
      return reply(deps.composer.profession(profession, language, t, place));
    }
    // "Mechaniker" names several professions with different bodies: ask which one.
    if (ambiguous && wantsProfessionAnswer) return reply(deps.composer.chooseProfession(deps.reference.candidatesFor(ambiguous), language, t));
    // We asked for the profession and still do not know it: say so instead of guessing.
    if (options.askedForProfession && (intent === OUT_OF_SCOPE || PROFESSION_INTENTS.has(intent))) return reply(deps.composer.unknownProfession(language, t));
    if (ASK_PROFESSION_INTENTS.has(intent) && !nlu.payload && !options.askedForProfession) return bot.beginDialog(PROFESSION_DIALOG, { language });
    // Only where the person lives ("Я живу в Галле"), with nothing to answer yet: noted, not "not understood".
    if (placeStatement && intent === OUT_OF_SCOPE) return reply(deps.composer.fixed('place.noted', language, t, 'topics'));

    // "Hallo? Ist da jemand?" while waiting in the queue: the request stands, rather than a greeting or "not understood".
    // While an urgent request waits ("شو اعمل؟", "what do I do?"), the emergency contacts come again with it.
    if (turn.escalation?.status === 'queued' && (intent === 'greeting' || intent === OUT_OF_SCOPE)) {
      return reply(deps.composer.fixed(turn.escalation.priority === 'urgent' ? 'handoff.alreadyUrgent' : 'handoff.already', language, t, 'topics'));
    }

    if (intent !== OUT_OF_SCOPE) {
      const found = deps.knowledge.answerFor({ language, intent, text: message.text ?? '', entities: nlu.entities });
      if (found) return reply(deps.composer.article(found.article, language, t, alsoAsked(deps, nlu, message.text ?? '')));
      const key = `answers.${intent.replace(/\./g, '_')}`;
      if (deps.texts.has(language, key)) return reply(deps.composer.fixed(key, language, t, FIXED_ANSWER_BUTTONS[intent]));
    }
    const suggestions = deps.knowledge.suggestions({ language, text: message.text ?? '' });
    const fallback = deps.composer.fallback(suggestions, language, t);
    // The second miss in a row: offer a person instead of a third try.
    if (!turn.escalation && (await previousReplyUnanswered(deps, turn.conversation))) return reply(deps.handoffReplies.offer('fallback', t, fallback));
    return reply(fallback);
  };
}

/** Whether the bot's last message before this turn could not answer either (see Reply.unanswered). */
async function previousReplyUnanswered(deps: MessageHandlerDeps, conversation: Conversation): Promise<boolean> {
  const lastBot = (await messagesBefore(deps.conversations, conversation, RECENT_MESSAGES)).filter((m) => m.role === 'bot').pop();
  return Boolean(lastBot?.unanswered);
}

/** A short message without a question mark: "Ich wohne in Halle", not "Wie wird das Wetter in Halle?". */
function isStatement(text: string): boolean {
  return !/[?؟]/u.test(text) && text.trim().split(/\s+/u).length <= STATEMENT_MAX_WORDS;
}

/** Articles for the other questions of a message ("Wie lange dauert es und was kostet es?"), see NluService.otherQuestions. */
function alsoAsked(deps: MessageHandlerDeps, nlu: NluResult, text: string): Article[] {
  return deps.nlu
    .otherQuestions(text, nlu)
    .flatMap((other) => deps.knowledge.mainArticleFor({ language: nlu.language, intent: other.name, text }) ?? []);
}

function isAspectQuestion(deps: MessageHandlerDeps, nlu: NluResult, text: string): boolean {
  return !nlu.payload && deps.nlu.asksAboutEarlierTopic(text, nlu.intent.name, nlu.detected.language);
}

/** "recognition" of "recognition.costs": intents of one family answer each other's aspect questions themselves. */
function family(intent: string): string {
  return intent.split('.')[0];
}

/**
 * The person's last question with a topic, within the last few turns: not a greeting, a thank-you or
 * something we did not understand, and not an aspect question itself ("und wie lange dauert das?"
 * after "was kostet das?" is still about the topic before both).
 */
async function earlierTopic(deps: MessageHandlerDeps, conversation: Conversation): Promise<{ intent: string; text: string } | undefined> {
  for (const message of (await messagesBefore(deps.conversations, conversation, TOPIC_LOOKBACK_MESSAGES)).reverse()) {
    if (message.role !== 'user' || !message.intent || NO_QUESTION_INTENTS.has(message.intent)) continue;
    if (deps.nlu.asksAboutEarlierTopic(message.text, message.intent, message.language ?? conversation.language ?? '')) continue;
    return { intent: message.intent, text: message.text };
  }
  return undefined;
}

interface NamedBefore {
  place?: string;
  profession?: string;
}

/** The place and the profession the person named most recently in the conversation's last messages. */
async function namedBefore(deps: MessageHandlerDeps, conversation: Conversation): Promise<NamedBefore> {
  const found: NamedBefore = {};
  for (const message of (await messagesBefore(deps.conversations, conversation, LOOKBACK_MESSAGES)).reverse()) {
    if (message.role !== 'user') continue;
    for (const entity of deps.nlu.entities(message.text, message.language)) {
      if (entity.type === 'place') found.place ??= entity.value;
      if (entity.type === 'profession') found.profession ??= entity.value;
    }
    if (found.place && found.profession) break;
  }
  return found;
}
