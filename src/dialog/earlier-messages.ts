import type { Conversation, ConversationRepository, StoredMessage } from '../storage/store';

/**
 * Up to `count` of the messages stored before this turn, oldest first. `conversation` is as the turn
 * began, so the person's message of this turn (stored during it) is not among them.
 */
export async function messagesBefore(conversations: ConversationRepository, conversation: Conversation, count: number): Promise<StoredMessage[]> {
  const recent = await conversations.listMessages(conversation.id, Math.max(0, conversation.lastSeq - count), count);
  return recent.filter((m) => m.seq <= conversation.lastSeq);
}
