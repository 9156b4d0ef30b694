import type { BotWorker, BotkitMessage } from 'botkit';
import type { HandoffDesk } from '../../escalation/handoff-desk';
import { turnOf } from '../turn';

/**
 * Ingest middleware, after NLU: puts the conversation's open escalation in the turn, and tells the
 * advisor console that the person wrote (the text is in the transcript, read with an advisor token).
 */
export function escalationMiddleware(desk: HandoffDesk) {
  return async (bot: BotWorker, message: BotkitMessage, next: (err?: Error) => void): Promise<void> => {
    try {
      if (message.type !== 'message') return next();
      const turn = turnOf(bot.getConfig('context'));
      turn.escalation = await desk.openFor(turn.conversation.id);
      if (turn.escalation) desk.personWrote(turn.escalation);
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
