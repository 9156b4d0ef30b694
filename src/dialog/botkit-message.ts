import type { Reply } from '../answer/reply';

/** Our channel-neutral reply as a Botkit message: extras ride in channelData (the web adapter puts them on the wire). */
export function toBotkitMessage(reply: Reply): { type: 'message'; text: string; channelData: Record<string, unknown> } {
  const channelData: Record<string, unknown> = {};
  if (reply.quickReplies?.length) channelData.quick_replies = reply.quickReplies;
  if (reply.sources?.length) channelData.sources = reply.sources;
  if (reply.unanswered) channelData.unanswered = true;
  return { type: 'message', text: reply.text, channelData };
}
