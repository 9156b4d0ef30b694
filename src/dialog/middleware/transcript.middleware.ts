import type { BotWorker } from 'botkit';
import type { Reply } from '../../answer/reply';
import type { ConversationRepository, QuickReply, Source } from '../../storage/store';
import { turnOf } from '../turn';

interface OutgoingActivity {
  type?: string;
  text?: string;
  channelData?: { quick_replies?: QuickReply[]; sources?: Source[]; unanswered?: boolean };
}

/** Send middleware: every bot message is stored in the transcript and noted in the turn. */
export function transcriptMiddleware(conversations: ConversationRepository) {
  return async (bot: BotWorker, activity: OutgoingActivity, next: (err?: Error) => void): Promise<void> => {
    try {
      if (activity.type !== 'message' || !activity.text) return next();
      const turn = turnOf(bot.getConfig('context'));
      const reply: Reply = { text: activity.text, quickReplies: activity.channelData?.quick_replies, sources: activity.channelData?.sources, unanswered: activity.channelData?.unanswered };
      await conversations.appendMessage(turn.conversation.id, {
        role: 'bot',
        text: reply.text,
        language: turn.nlu?.language ?? turn.conversation.language,
        quickReplies: reply.quickReplies,
        sources: reply.sources,
        ...(reply.unanswered ? { unanswered: true } : {}),
      });
      turn.replies.push(reply);
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
