import { TfIdfIndex } from '../../src/knowledge/tfidf-index';

describe('TfIdfIndex', () => {
  const index = new TfIdfIndex();
  index.add(['anerkennung', 'pflege', 'pflege']);
  index.add(['anerkennung', 'ingenieur']);
  index.add(['sprachkurs']);
  const idf = (df: number) => 1 + Math.log(3 / (1 + df));

  it('scores each document by term count times idf, summed over the query', () => {
    expect(Array.from(index.scores(['pflege', 'anerkennung']))).toEqual([2 * idf(1) + idf(2), idf(2), 0]);
    expect(Array.from(index.scores(['sprachkurs']))).toEqual([0, 0, idf(1)]);
  });

  it('gives 0 for words no document has, also for names of object properties', () => {
    expect(Array.from(index.scores(['wetter', 'constructor', '__proto__', 'toString']))).toEqual([0, 0, 0]);
    expect(Array.from(index.scores([]))).toEqual([0, 0, 0]);
  });

  it('numbers documents in the order they were added', () => {
    const fresh = new TfIdfIndex();
    expect([fresh.add(['a']), fresh.add(['b']), fresh.size]).toEqual([0, 1, 2]);
  });
});
