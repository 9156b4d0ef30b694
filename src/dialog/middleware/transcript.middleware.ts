import type { BotWorker } from 'botkit';
import type { Reply } from '../../answer/reply';
import type { ConversationRepository, QuickReply, Source } from '../../storage/store';
import type { OfferedLabels } from '../offered-labels';
import { personEscalation, turnOf } from '../turn';

interface OutgoingActivity {
  type?: string;
  text?: string;
  channelData?: { quick_replies?: QuickReply[]; sources?: Source[]; unanswered?: boolean; [key: string]: unknown };
}

/** Send middleware: every bot message is stored in the transcript and noted in the turn; its button labels are remembered. */
export function transcriptMiddleware(conversations: ConversationRepository, labels: OfferedLabels) {
  return async (bot: BotWorker, activity: OutgoingActivity, next: (err?: Error) => void): Promise<void> => {
    try {
      if (activity.type !== 'message' || !activity.text) return next();
      const turn = turnOf(bot.getConfig('context'));
      const reply: Reply = { text: activity.text, quickReplies: activity.channelData?.quick_replies, sources: activity.channelData?.sources, unanswered: activity.channelData?.unanswered };
      const language = turn.nlu?.language ?? turn.conversation.language;
      const stored = await conversations.appendMessage(turn.conversation.id, {
        role: 'bot',
        text: reply.text,
        language,
        quickReplies: reply.quickReplies,
        sources: reply.sources,
        ...(reply.unanswered ? { unanswered: true } : {}),
      });
      turn.replies.push(reply);
      if (reply.quickReplies) labels.remember(reply.quickReplies.map((q) => q.title));
      // The web chat needs these on the socket: the language to show its labels in (the person may have
      // switched by writing), the handover state, and the cursor to catch up from after a reconnect.
      activity.channelData = {
        ...activity.channelData,
        cursor: String(stored.seq),
        ...(language ? { language } : {}),
        ...(turn.escalation !== undefined ? { escalation: turn.escalation ? personEscalation(turn.escalation) : null } : {}),
      };
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
