/** Where the set starts over: far above the labels the content has (topics, article titles, guide options, professions). */
const MAX_LABELS = 20_000;

/**
 * The labels of the buttons the bot has offered, as phrase keys (NluService.phraseKey), so that the
 * NLU middleware reads the last answer from the store only for a message that could be a typed
 * button: reading it for every message cost a store read and several JSON parses per turn. The
 * labels come from the content, so the set stays small. It starts empty after a restart: a label
 * typed for an answer from before the restart is then read as words, as any message.
 */
export class OfferedLabels {
  private readonly keys = new Map<string, string>();
  private readonly offered = new Set<string>();

  constructor(private readonly phraseKey: (text: string) => string) {}

  /** The phrase key of a label, worked out once per label. */
  keyOf(label: string): string {
    let key = this.keys.get(label);
    if (key === undefined) {
      if (this.keys.size >= MAX_LABELS) this.keys.clear();
      key = this.phraseKey(label);
      this.keys.set(label, key);
    }
    return key;
  }

  remember(labels: readonly string[]): void {
    if (this.offered.size >= MAX_LABELS) this.offered.clear();
    for (const label of labels) this.offered.add(this.keyOf(label));
  }

  /** Whether a message, as a phrase key, says the label of a button the bot has offered. */
  has(key: string): boolean {
    return key !== '' && this.offered.has(key);
  }
}
