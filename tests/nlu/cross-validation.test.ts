import type { LabelledText } from '../../src/content/intent-files';
import { stratifiedFolds } from '../../src/nlu/cross-validation';

const example = (intent: string, language: string, i: number): LabelledText => ({ intent, language, text: `${intent} ${language} ${i}` }) as LabelledText;

describe('stratifiedFolds', () => {
  const examples = [
    ...Array.from({ length: 10 }, (_, i) => example('greeting', 'de', i)),
    ...Array.from({ length: 5 }, (_, i) => example('greeting', 'ar', i)),
    ...Array.from({ length: 7 }, (_, i) => example('thanks', 'de', i)),
  ];

  it('puts every example in exactly one fold', () => {
    const folds = stratifiedFolds(examples, 5);
    const texts = folds.flat().map((e) => e.text).sort();
    expect(texts).toEqual(examples.map((e) => e.text).sort());
  });

  it('spreads each intent and language evenly over the folds', () => {
    const folds = stratifiedFolds(examples, 5);
    const count = (fold: LabelledText[], intent: string, language: string) => fold.filter((e) => e.intent === intent && e.language === language).length;
    expect(folds.map((f) => count(f, 'greeting', 'de'))).toEqual([2, 2, 2, 2, 2]);
    expect(folds.map((f) => count(f, 'greeting', 'ar'))).toEqual([1, 1, 1, 1, 1]);
    for (const fold of folds) expect([1, 2]).toContain(count(fold, 'thanks', 'de'));
  });

  it('gives the same folds for the same seed and others for another seed', () => {
    const texts = (seed: number) => stratifiedFolds(examples, 5, seed).map((f) => f.map((e) => e.text));
    expect(texts(7)).toEqual(texts(7));
    expect(texts(7)).not.toEqual(texts(8));
  });
});
