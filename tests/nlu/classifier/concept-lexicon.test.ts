import { ConceptLexicon } from '../../../src/nlu/classifier/concept-lexicon';
import { tokenise } from '../../../src/nlu/text/tokenise';

const lexicon = new ConceptLexicon([
  { id: 'cost', terms: { de: ['kost*', 'gebühr*'], ar: ['تكلف*', 'رسوم'], uk: ['вартіст*'] } },
  { id: 'bot', terms: { de: ['ki'] } },
]);
const concepts = (word: string) => lexicon.conceptsOf(tokenise(word)[0]);

describe('concept lexicon', () => {
  it('maps words of every language to the shared concept, prefixes catching inflections', () => {
    expect(concepts('Kosten')).toEqual(['cost']);
    expect(concepts('Gebühren')).toEqual(['cost']);
    expect(concepts('تكلفة')).toEqual(['cost']);
    expect(concepts('вартістю')).toEqual(['cost']);
  });

  it('matches exact terms only as whole words', () => {
    expect(concepts('KI')).toEqual(['bot']);
    expect(concepts('Kind')).toEqual([]);
    expect(concepts('رسومات')).toEqual([]);
  });

  it('reads concepts that are no classifier features only when asked to, and knows aspects from topics', () => {
    const withReadingOnly = new ConceptLexicon([
      { id: 'cost', aspect: true, terms: { de: ['kost*'] } },
      { id: 'aspect_words', aspect: true, feature: false, terms: { de: ['beantrag*'] } },
      { id: 'recognition', terms: { de: ['anerkenn*'] } },
    ]);
    const word = tokenise('beantragen')[0];
    expect(withReadingOnly.conceptsOf(word)).toEqual([]);
    expect(withReadingOnly.conceptsOf(word, 'reading')).toEqual(['aspect_words']);
    expect(withReadingOnly.conceptsOf(tokenise('Kosten')[0])).toEqual(['cost']);
    expect(['cost', 'aspect_words', 'recognition'].map((id) => withReadingOnly.isAspect(id))).toEqual([true, true, false]);
  });

  it('refuses terms it could not match reliably', () => {
    expect(() => new ConceptLexicon([{ id: 'x', terms: { de: ['ab*'] } }])).toThrow(/shorter/);
    expect(() => new ConceptLexicon([{ id: 'x', terms: { de: ['zwei wörter'] } }])).toThrow(/one word/);
  });
});
