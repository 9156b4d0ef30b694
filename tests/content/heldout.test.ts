import path from 'node:path';
import { labelledTexts, loadIntentFiles } from '../../src/content/intent-files';
import { ROOT } from '../helpers/service';

const LANGUAGES = ['ar', 'de', 'en', 'fa', 'ru', 'uk'];

describe('held-out NLU test set', () => {
  it('shares no message with the training phrases', () => {
    const training = new Set(labelledTexts(loadIntentFiles(path.join(ROOT, 'intents'), LANGUAGES)).map((e) => e.text.trim().toLowerCase()));
    const overlap = labelledTexts(loadIntentFiles(path.join(ROOT, 'tests', 'data', 'nlu-heldout'), LANGUAGES)).filter((e) => training.has(e.text.trim().toLowerCase()));
    expect(overlap.map((e) => e.text)).toEqual([]);
  });

  it('covers every intent in every language', () => {
    const intents = loadIntentFiles(path.join(ROOT, 'intents'), LANGUAGES).map((f) => f.intent);
    const heldOut = loadIntentFiles(path.join(ROOT, 'tests', 'data', 'nlu-heldout'), LANGUAGES);
    expect(heldOut.map((f) => f.intent).sort()).toEqual([...intents].sort());
    for (const file of heldOut) for (const language of LANGUAGES) expect({ intent: file.intent, language, enough: (file.examples[language] ?? []).length >= 16 }).toEqual({ intent: file.intent, language, enough: true });
  });
});
