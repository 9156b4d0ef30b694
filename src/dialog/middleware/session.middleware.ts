import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BotWorker, BotkitMessage } from 'botkit';
import type { ConversationRepository } from '../../storage/store';
import { TURN_STATE_KEY, type TurnInfo } from '../turn';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether a presented session token is the one whose hash is stored (constant-time). */
export function tokenMatches(tokenHash: string, token: string | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(tokenHash, 'hex');
  const given = Buffer.from(hashToken(token), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Ingest middleware: finds or starts the conversation of the message's session, applies an
 * explicit language choice, and puts the turn state in place for the later stages.
 */
export function sessionMiddleware(conversations: ConversationRepository, languages: readonly string[]) {
  return async (bot: BotWorker, message: BotkitMessage, next: (err?: Error) => void): Promise<void> => {
    try {
      const context = bot.getConfig('context');
      const sessionId = String(message.user);
      let conversation = await conversations.get(sessionId);
      let sessionToken: string | undefined;
      const requested = typeof message.language === 'string' && languages.includes(message.language) ? message.language : undefined;
      // A chat opening in a language (the page's, the browser's) only sets where to start: the person did
      // not choose it, so writing in another language still switches. A message with a language did choose.
      const chosen = message.type === 'message' ? requested : undefined;
      if (!conversation) {
        sessionToken = randomBytes(32).toString('base64url');
        conversation = await conversations.create({ id: sessionId, tokenHash: hashToken(sessionToken), language: requested ?? null, languageChosen: Boolean(chosen) });
      } else if (chosen && (conversation.language !== chosen || !conversation.languageChosen)) {
        conversation = (await conversations.update(sessionId, { language: chosen, languageChosen: true })) ?? conversation;
      } else if (requested && !conversation.language) {
        conversation = (await conversations.update(sessionId, { language: requested })) ?? conversation;
      }
      const turn: TurnInfo = { conversation, sessionToken, replies: [] };
      context.turnState.set(TURN_STATE_KEY, turn);
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
