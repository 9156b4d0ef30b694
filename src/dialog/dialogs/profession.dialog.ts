import { BotkitConversation, type Botkit, type BotWorker, type BotkitMessage } from 'botkit';
import type { AnswerComposer } from '../../answer/answer-composer';
import type { Texts } from '../../i18n/i18n';
import { guardTurn } from '../turn';

export const PROFESSION_DIALOG = 'ask-profession';

/**
 * Asks which profession the person has when they want to know who recognises it but did not say.
 * The answer (free text or a quick reply) goes through the normal message handling again, which now
 * finds the profession, or gives the general article when it still cannot.
 */
export function createProfessionDialog(
  controller: Botkit,
  composer: AnswerComposer,
  texts: Texts,
  answerTurn: (bot: BotWorker, message: BotkitMessage, options: { askedForProfession: boolean }) => Promise<void>,
): BotkitConversation {
  const dialog = new BotkitConversation(PROFESSION_DIALOG, controller);
  dialog.before('default', async (convo, bot) =>
    guardTurn(
      bot,
      async () => {
        const language = String(convo.vars.language);
        const prompt = composer.askProfession(language, texts.forLanguage(language));
        convo.setVar('prompt', prompt.text);
        convo.setVar('choices', prompt.quickReplies);
      },
      undefined,
    ),
  );
  dialog.ask(
    // Triple braces: the prompt is our own text and must not be HTML-escaped by the template engine.
    { text: ['{{{vars.prompt}}}'], quick_replies: (_line: unknown, vars: Record<string, unknown>) => vars.choices as never[] },
    async (_answer, _convo, bot, message) => guardTurn(bot, () => answerTurn(bot, message as BotkitMessage, { askedForProfession: true }), undefined),
    'profession',
  );
  return dialog;
}
