import { MessageIndex } from '../../src/storage/embedded/message-index';

/** Message n: seq n, created n minutes after 10:00, its line at offset 100·n. */
function indexOf(seqs: number[]): MessageIndex {
  const index = new MessageIndex();
  for (const n of seqs) index.push(n, new Date(Date.UTC(2026, 10, 30, 10, n)).toISOString(), { offset: 100 * n, length: 10 + n });
  return index;
}
const minute = (n: number) => new Date(Date.UTC(2026, 10, 30, 10, n)).toISOString();

describe('MessageIndex', () => {
  it('keeps every message in order beyond its first capacity', () => {
    const index = indexOf(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(index.length).toBe(50);
    expect(index.extentAt(0)).toEqual({ offset: 100, length: 11 });
    expect(index.extentAt(49)).toEqual({ offset: 5000, length: 60 });
  });

  it('finds the first message after a seq, also across gaps and past the end', () => {
    const index = indexOf([1, 2, 5, 9, 10]);
    expect(index.firstAfter(0)).toBe(0);
    expect(index.firstAfter(2)).toBe(2);
    expect(index.firstAfter(3)).toBe(2);
    expect(index.firstAfter(9)).toBe(4);
    expect(index.firstAfter(10)).toBe(5);
  });

  it('counts and drops the messages created before a cutoff, keeping the rest in order', () => {
    const index = indexOf([1, 2, 3, 4, 5, 6]);
    expect(index.countOlderThan(minute(4))).toBe(3);
    index.removeOlderThan(minute(4));
    expect(index.length).toBe(3);
    expect([0, 1, 2].map((p) => index.extentAt(p).offset)).toEqual([400, 500, 600]);
    expect(index.firstAfter(4)).toBe(1);
  });

  it('moves a line to where a journal rewrite put it', () => {
    const index = indexOf([1, 2]);
    index.moveTo(1, { offset: 7, length: 3 });
    expect(index.extentAt(1)).toEqual({ offset: 7, length: 3 });
    expect(index.extentAt(0)).toEqual({ offset: 100, length: 11 });
  });
});
