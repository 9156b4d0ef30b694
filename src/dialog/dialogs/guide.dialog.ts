import { BotkitConversation, type Botkit, type BotkitDialogWrapper, type BotWorker, type BotkitMessage } from 'botkit';
import type { AnswerComposer } from '../../answer/answer-composer';
import { OUT_OF_SCOPE } from '../../content/intent-files';
import type { Texts } from '../../i18n/i18n';
import { answerFromPayload, interpretAnswer } from '../../knowledge/guide-answers';
import { SKIP, type Guide, type GuideAnswers, type GuideBook, type GuideQuestion } from '../../knowledge/guides';
import type { NluResult } from '../../nlu/nlu.service';
import { toBotkitMessage } from '../botkit-message';
import { guardTurn, turnOf } from '../turn';

export const GUIDE_DIALOG = 'guide';

/** What a guide dialog keeps between turns (Botkit stores it with the dialog state, so it survives restarts). */
export interface GuideDialogOptions {
  guide: string;
  answers: GuideAnswers;
}

interface GuideVars extends GuideDialogOptions {
  asked?: number;
  retry?: boolean;
  prompt?: string;
  choices?: unknown[];
}

/** Small talk inside a guide is not a reason to leave it. */
const STAY_INTENTS = new Set([OUT_OF_SCOPE, 'greeting', 'thanks']);
/**
 * A typed message we cannot read as an answer leaves the guide only when the NLU is this sure it is
 * another question: answers such as "Vietnam", "nurse" or "Kfz-Mechaniker" get shaky guesses (0.3–0.8),
 * new questions ("Was kostet die Anerkennung?") above 0.95. Otherwise it is asked once more, then skipped.
 */
const SURE_ENOUGH_TO_LEAVE = 0.85;

/**
 * One Botkit dialog runs every guide in knowledge/guides: it asks the next open question (a single
 * looping question line whose text is prepared in `before`), reads the answer (quick reply, free
 * text, skip), and sends the personal plan when nothing is left to ask. A message that is clearly a
 * different question leaves the guide and is answered; "talk to a human" interrupts it (bot.ts).
 */
export function createGuideDialog(
  controller: Botkit,
  guides: GuideBook,
  composer: AnswerComposer,
  texts: Texts,
  answerTurn: (bot: BotWorker, message: BotkitMessage) => Promise<void>,
): BotkitConversation {
  const dialog = new BotkitConversation(GUIDE_DIALOG, controller);
  const skipPhrases = texts.languages().flatMap((language) => texts.forLanguage(language)('guide.skipWords').split('|'));

  dialog.before('default', async (convo, bot) => guardTurn(bot, () => prepareQuestion(convo, bot), undefined));

  async function prepareQuestion(convo: BotkitDialogWrapper, bot: BotWorker): Promise<void> {
    const vars = convo.vars as unknown as GuideVars;
    const guide = guides.get(vars.guide);
    const question = guide?.nextQuestion(vars.answers ?? {});
    if (!guide || !question) return convo.stop();
    const language = languageOf(bot);
    const prompt = composer.guideQuestion(guide, question, language, texts.forLanguage(language), { first: !vars.asked, retry: Boolean(vars.retry) });
    convo.setVar('prompt', prompt.text);
    convo.setVar('choices', prompt.quickReplies);
    convo.setVar('asked', (vars.asked ?? 0) + 1);
  }

  dialog.ask(
    // Triple braces: the prompt is our own text and must not be HTML-escaped by the template engine.
    { text: ['{{{vars.prompt}}}'], quick_replies: (_line: unknown, vars: Record<string, unknown>) => vars.choices as never[] },
    async (_answer, convo, bot, message) => guardTurn(bot, () => takeAnswer(convo, bot, message as BotkitMessage), undefined),
    'answer',
  );

  async function takeAnswer(convo: BotkitDialogWrapper, bot: BotWorker, message: BotkitMessage): Promise<void> {
    const vars = convo.vars as unknown as GuideVars;
    const guide = guides.get(vars.guide);
    const nlu = turnOf(bot.getConfig('context')).nlu;
    const question = guide?.nextQuestion(vars.answers);
    if (!guide || !question || !nlu) return convo.stop();

    const found = readAnswer(guide, question, nlu, message.text ?? '', vars.answers, skipPhrases);
    if (found === 'leave') {
      // A new question, or a button of an earlier answer: end the guide and answer it.
      await bot.cancelAllDialogs();
      return answerTurn(bot, message);
    }
    // An answer inside a guide belongs to the guide's topic, whatever the classifier made of "19".
    nlu.intent = { name: guide.definition.intent, confidence: 1 };
    nlu.fallbackReason = undefined;
    // An answer we cannot read is asked once more, then counts as skipped: nobody gets stuck.
    if (Object.keys(found).length === 0 && !vars.retry) {
      convo.setVar('retry', true);
      return convo.repeat();
    }
    const answers = { ...vars.answers, ...(Object.keys(found).length ? found : { [question.id]: SKIP }) };
    convo.setVar('answers', answers);
    convo.setVar('retry', false);
    if (guide.nextQuestion(answers)) return convo.repeat();
    const language = languageOf(bot);
    await bot.reply(message, toBotkitMessage(composer.guidePlan(guide, answers, language, texts.forLanguage(language))));
  }
  return dialog;
}

/** New answers from this message, or 'leave' when it is not an answer but something else. */
function readAnswer(guide: Guide, question: GuideQuestion, nlu: NluResult, text: string, answers: GuideAnswers, skipPhrases: string[]): GuideAnswers | 'leave' {
  if (nlu.payload) {
    if (nlu.payload.kind !== 'guide') return 'leave';
    return answerFromPayload(guide, nlu.payload.value) ?? 'leave';
  }
  const found = interpretAnswer(guide, question, { text, entities: nlu.entities }, answers, skipPhrases);
  if (Object.keys(found).length > 0) return found;
  const anotherQuestion = nlu.intent.name !== guide.definition.intent && !STAY_INTENTS.has(nlu.intent.name) && nlu.intent.confidence >= SURE_ENOUGH_TO_LEAVE;
  return anotherQuestion ? 'leave' : {};
}

/** The language of this turn: a person who switches language mid-guide gets the next question in it. */
function languageOf(bot: BotWorker): string {
  const turn = turnOf(bot.getConfig('context'));
  return turn.nlu?.language ?? turn.conversation.language ?? 'de';
}
