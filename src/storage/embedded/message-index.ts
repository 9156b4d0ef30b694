import type { Extent } from './journal';

/** Numbers kept per message: seq, creation time (ms since the epoch), journal offset, line length. */
const FIELDS = 4;
const SEQ = 0;
const CREATED = 1;
const OFFSET = 2;
const LENGTH = 3;
/** Most conversations are a few turns long: start small, double when full. */
const INITIAL_CAPACITY = 8;

/**
 * Where one conversation's messages lie in the journal, in seq order. Memory holds this for every
 * stored message, so it is one flat Float64Array (32 bytes a message) rather than an object and an
 * ISO string per message (about 200 bytes): the difference is what lets the embedded store keep
 * months of conversations without its heap growing with them.
 */
export class MessageIndex {
  private data = new Float64Array(INITIAL_CAPACITY * FIELDS);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(seq: number, createdAt: string, extent: Extent): void {
    if ((this.count + 1) * FIELDS > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.count++ * FIELDS;
    this.data[at + SEQ] = seq;
    this.data[at + CREATED] = Date.parse(createdAt);
    this.data[at + OFFSET] = extent.offset;
    this.data[at + LENGTH] = extent.length;
  }

  /** The position of the first message with a seq above `seq` (`length` when there is none), by bisection. */
  firstAfter(seq: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.data[middle * FIELDS + SEQ] <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  extentAt(position: number): Extent {
    const at = position * FIELDS;
    return { offset: this.data[at + OFFSET], length: this.data[at + LENGTH] };
  }

  /** After a journal rewrite the same line lies elsewhere. */
  moveTo(position: number, extent: Extent): void {
    const at = position * FIELDS;
    this.data[at + OFFSET] = extent.offset;
    this.data[at + LENGTH] = extent.length;
  }

  /** How many messages were created before `cutoff` (an ISO time). */
  countOlderThan(cutoff: string): number {
    const before = Date.parse(cutoff);
    let older = 0;
    for (let i = 0; i < this.count; i++) if (this.data[i * FIELDS + CREATED] < before) older++;
    return older;
  }

  /** Drops the messages created before `cutoff` (an ISO time), keeping the others in order. */
  removeOlderThan(cutoff: string): void {
    const before = Date.parse(cutoff);
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.data[i * FIELDS + CREATED] < before) continue;
      if (kept !== i) this.data.copyWithin(kept * FIELDS, i * FIELDS, (i + 1) * FIELDS);
      kept++;
    }
    this.count = kept;
  }
}
