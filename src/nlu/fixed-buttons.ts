/**
 * The values of the bot's fixed buttons (`kind:value`): the whole vocabulary of these kinds. The
 * answers offer them (answer/handoff-replies.ts, answer/answer-composer.ts), the NLU reads them and
 * reads any other value of these kinds as nobody's button ("handoff:xyz" opens no escalation).
 */
export const FIXED_BUTTONS = {
  /**
   * Yes to "Shall I pass the conversation to an advisor?": asked after misses ('fallback'), after
   * "not helpful" ('feedback') and after a wish for a person the NLU was unsure of ('requested').
   * Each is the reason of the escalation it opens.
   */
  handoff: ['fallback', 'feedback', 'requested'],
  callback: ['offer', 'agree', 'decline'],
  feedback: ['helpful', 'unhelpful'],
} as const;

export type FixedButtonKind = keyof typeof FIXED_BUTTONS;
export type HandoffOfferReason = (typeof FIXED_BUTTONS.handoff)[number];

export function fixedButtonPayload<K extends FixedButtonKind>(kind: K, value: (typeof FIXED_BUTTONS)[K][number]): string {
  return `${kind}:${value}`;
}

export function isFixedButtonValue(kind: FixedButtonKind, value: string): boolean {
  return (FIXED_BUTTONS[kind] as readonly string[]).includes(value);
}
