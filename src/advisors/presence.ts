/**
 * Which advisors have the console open right now (an open live-update stream). The bot uses it to
 * tell a person honestly that nobody is online, instead of promising a quick answer.
 */
export class AdvisorPresence {
  private readonly streams = new Map<string, number>();

  /** Counts one open stream of the advisor; call the returned function when it closes. */
  connect(advisorId: string): () => void {
    this.streams.set(advisorId, (this.streams.get(advisorId) ?? 0) + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.streams.get(advisorId) ?? 1) - 1;
      if (left > 0) this.streams.set(advisorId, left);
      else this.streams.delete(advisorId);
    };
  }

  /** Number of distinct advisors online. */
  online(): number {
    return this.streams.size;
  }
}
