import { clauseSplitter } from '../../../src/nlu/text/clauses';

const splitClauses = (text: string, joiners: string[]) => clauseSplitter(joiners)(text);

describe('clauseSplitter', () => {
  it('cuts at sentence ends and at the joining words of the language', () => {
    expect(splitClauses('Wie lange dauert die Anerkennung und was kostet sie?', ['und'])).toEqual(['Wie lange dauert die Anerkennung', 'was kostet sie']);
    expect(splitClauses('Where do I apply? And how long does it take', ['and', 'also'])).toEqual(['Where do I apply', 'how long does it take']);
    expect(splitClauses('كم تستغرق المدة؟ و كم تكلف', ['و'])).toEqual(['كم تستغرق المدة', 'كم تكلف']);
  });

  it('cuts only at whole words, in any case', () => {
    expect(splitClauses('Hund und Katze', ['und'])).toEqual(['Hund', 'Katze']);
    expect(splitClauses('Standort UND Kosten', ['und'])).toEqual(['Standort', 'Kosten']);
    expect(splitClauses('Grundkurs', ['und'])).toEqual(['Grundkurs']);
  });

  it('keeps a message without joining words whole and drops empty parts', () => {
    expect(splitClauses('Was kostet das?', ['und'])).toEqual(['Was kostet das']);
    expect(splitClauses('?!', ['und'])).toEqual([]);
    expect(splitClauses('a (b) und c', [])).toEqual(['a (b) und c']);
  });
});
