import { DictionaryMatcher, similarWords } from '../../src/nlu/entities/dictionary-matcher';
import { EntityExtractor } from '../../src/nlu/entities/entity-extractor';
import { tokenise } from '../../src/nlu/text/tokenise';

describe('dictionary matching', () => {
  const matcher = new DictionaryMatcher([
    { type: 'profession', id: 'nurse', names: ['Pflegefachkraft', 'медсестра', 'ممرضة'] },
    { type: 'place', id: 'halle', names: ['Halle (Saale)', 'Halle an der Saale'] },
  ]);

  it('finds inflected forms and typos but not unrelated short words', () => {
    expect(similarWords('медсестрою', 'медсестра')).toBe('close');
    expect(similarWords('pflegefachkaft', 'pflegefachkraft')).toBe('close');
    expect(similarWords('elektricker', 'elektriker')).toBe('close');
    expect(similarWords('art', 'arzt')).toBeNull();
  });

  it('skips a false friend in messages of its language only', () => {
    const withFalseFriend = new DictionaryMatcher([{ type: 'profession', id: 'cook', names: ['Koch', 'chef'], falseFriends: { de: ['Chef'] } }]);
    const ids = (text: string, language?: string) => withFalseFriend.match(tokenise(text), language).map((m) => m.id);
    expect(ids('Mein Chef zahlt nicht', 'de')).toEqual([]);
    expect(ids('Ich bin Koch', 'de')).toEqual(['cook']);
    expect(ids('I am a chef', 'en')).toEqual(['cook']);
    expect(ids('Mein Chef zahlt nicht')).toEqual(['cook']);
  });

  it('does not take a shorter word with the same stem for a name', () => {
    expect(similarWords('lehre', 'lehrer')).toBeNull();
    expect(similarWords('back', 'backer')).toBeNull();
    expect(similarWords('german', 'germanist')).toBeNull();
  });

  it('prefers the longest name and reports the words as written', () => {
    const matches = matcher.match(tokenise('Ich wohne in Halle an der Saale und bin Pflegefachkraft'));
    expect(matches.map((m) => [m.type, m.id, m.text])).toEqual([
      ['place', 'halle', 'Halle an der Saale'],
      ['profession', 'nurse', 'Pflegefachkraft'],
    ]);
  });

  it('ignores the Arabic article when matching', () => {
    expect(matcher.match(tokenise('انا الممرضة')).map((m) => m.id)).toEqual(['nurse']);
  });

  it('reads German levels in Latin, Cyrillic and split forms', () => {
    const extractor = new EntityExtractor([]);
    const levels = (text: string) => extractor.extract(tokenise(text)).map((e) => e.value);
    expect(levels('Ich habe B1 und will B2-Niveau')).toEqual(['B1', 'B2']);
    expect(levels('маю рівень В2')).toEqual(['B2']);
    expect(levels('I have level c 1')).toEqual(['C1']);
  });
});
