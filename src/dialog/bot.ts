import { Botkit, type BotWorker, type BotkitMessage } from 'botkit';
import type { BotAdapter } from 'botbuilder';
import type { AnswerComposer } from '../answer/answer-composer';
import type { HandoffReplies } from '../answer/handoff-replies';
import type { HandoffDesk } from '../escalation/handoff-desk';
import type { Texts } from '../i18n/i18n';
import type { GuideBook } from '../knowledge/guides';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { ReferenceData } from '../knowledge/reference-data';
import type { Logger } from '../logging/logger';
import type { NluResult, NluService } from '../nlu/nlu.service';
import { DialogStateStorage } from '../storage/dialog-state.storage';
import type { Store } from '../storage/store';
import { toBotkitMessage } from './botkit-message';
import { createGuideDialog } from './dialogs/guide.dialog';
import { createProfessionDialog } from './dialogs/profession.dialog';
import { createHandoffHandlers } from './handlers/handoff.handler';
import { createMessageHandler } from './handlers/message.handler';
import { escalationMiddleware } from './middleware/escalation.middleware';
import { nluMiddleware } from './middleware/nlu.middleware';
import { OfferedLabels } from './offered-labels';
import { sessionMiddleware } from './middleware/session.middleware';
import { transcriptMiddleware } from './middleware/transcript.middleware';
import { guardTurn, turnOf } from './turn';

export interface BotDeps {
  adapter: BotAdapter;
  store: Store;
  nlu: NluService;
  knowledge: KnowledgeBase;
  reference: ReferenceData;
  guides: GuideBook;
  composer: AnswerComposer;
  texts: Texts;
  handoff: HandoffDesk;
  handoffReplies: HandoffReplies;
  defaultLanguage: string;
  logger: Logger;
  /** Told of every understood message (for metrics); labels only, the text stays here. */
  onUnderstood?: (result: NluResult) => void;
}

/**
 * The one Botkit controller every channel feeds: ingest middleware (session, NLU), interrupts,
 * dialogs, the message handler, and send middleware (transcript). Botkit stays in this folder and
 * in the channel adapter; NLU, knowledge and storage do not know it.
 */
export function createBot(deps: BotDeps): Botkit {
  const controller = new Botkit({
    adapter: deps.adapter,
    storage: new DialogStateStorage(deps.store.dialogState),
    disable_webserver: true,
    disable_console: true,
  });

  controller.middleware.ingest.use(sessionMiddleware(deps.store.conversations, deps.nlu.languages));
  const offeredLabels = new OfferedLabels((text) => deps.nlu.phraseKey(text));
  controller.middleware.ingest.use(nluMiddleware(deps.nlu, deps.store.conversations, offeredLabels, deps.onUnderstood));
  controller.middleware.ingest.use(escalationMiddleware(deps.handoff));
  controller.middleware.send.use(transcriptMiddleware(deps.store.conversations, offeredLabels));

  // The handover comes before any dialog: a wish for a person or an emergency interrupts a guide, and
  // while an advisor owns the conversation no dialog may answer. `false` lets Botkit go on as usual.
  const handoff = createHandoffHandlers({ desk: deps.handoff, replies: deps.handoffReplies, texts: deps.texts, conversations: deps.store.conversations });
  controller.interrupts(
    async (message: BotkitMessage) => message.type === 'message',
    'message',
    async (bot: BotWorker, message: BotkitMessage) => guardTurn(bot, async () => ((await handoff.intercept(bot, message)) ? undefined : false), undefined),
  );

  const answerTurn = createMessageHandler({ ...deps, conversations: deps.store.conversations });
  controller.addDialog(createProfessionDialog(controller, deps.composer, deps.texts, answerTurn));
  controller.addDialog(createGuideDialog(controller, deps.guides, deps.composer, deps.texts, answerTurn));
  controller.on('message', async (bot, message) => guardTurn(bot, () => answerTurn(bot, message), undefined));

  // The web chat says "hello" when it opens a new session: greet in the session's language.
  controller.on('hello', async (bot, message) => guardTurn(bot, () => greet(bot, message), undefined));

  async function greet(bot: BotWorker, message: BotkitMessage): Promise<void> {
    const turn = turnOf(bot.getConfig('context'));
    const language = turn.conversation.language ?? deps.defaultLanguage;
    const greeting = toBotkitMessage(deps.composer.fixed('answers.greeting', language, deps.texts.forLanguage(language), 'topics'));
    // A new web-chat session learns its token here, so the person can later erase the chat.
    if (turn.sessionToken) greeting.channelData.session = { id: turn.conversation.id, token: turn.sessionToken };
    await bot.reply(message, greeting);
  }

  return controller;
}
