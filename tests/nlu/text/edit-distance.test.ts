import fc from 'fast-check';
import { damerauLevenshtein } from '../../../src/nlu/text/edit-distance';

/** Plain Levenshtein distance (no swaps), the textbook way: an upper bound that differs only by swaps. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

describe('damerauLevenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['ac', 'acc', 1],
    ['Elektriker', 'Elektricker', 1],
    ['Krankenpfleger', 'Krankenpflger', 1],
    ['Bäcker', 'Bäkcer', 1],
    // A swap with an insertion between the swapped letters: 2 (restricted variants say 3).
    ['ca', 'abc', 2],
    ['медсестра', 'медсетсра', 1],
    ['ممرض', 'ممرضه', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, expected) => {
    expect(damerauLevenshtein(a, b)).toBe(expected);
    expect(damerauLevenshtein(b, a)).toBe(expected);
  });

  // A small alphabet makes repeated and swapped letters, where the variants differ, frequent.
  const word = fc.oneof(fc.string({ unit: fc.constantFrom(...'abcd'), maxLength: 8 }), fc.string({ maxLength: 10 }));

  it('is a metric between the length difference and the Levenshtein distance', () => {
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        const d = damerauLevenshtein(a, b);
        return (
          d === damerauLevenshtein(b, a) &&
          (d === 0) === (a === b) &&
          d >= Math.abs(a.length - b.length) &&
          d <= levenshtein(a, b) &&
          2 * d >= levenshtein(a, b) &&
          damerauLevenshtein(a, c) <= d + damerauLevenshtein(b, c)
        );
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('counts a swap of two different neighbouring letters as one edit', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 12 }), fc.nat(), (a, at) => {
        const i = at % (a.length - 1);
        fc.pre(a[i] !== a[i + 1]);
        return damerauLevenshtein(a, a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2)) === 1;
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
