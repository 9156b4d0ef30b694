import type { QuickReply, Source } from '../storage/store';

/** One bot message, channel-neutral. Channels turn it into their own format. */
export interface Reply {
  text: string;
  quickReplies?: QuickReply[];
  sources?: Source[];
  /** The bot could not answer (fallback, unknown profession): counted for analytics and the handover offer. */
  unanswered?: boolean;
}
