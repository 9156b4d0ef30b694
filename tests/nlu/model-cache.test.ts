import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OUT_OF_SCOPE, type LabelledText } from '../../src/content/intent-files';
import type { LanguageInfo } from '../../src/i18n/languages';
import { fingerprint, trainOrRestore } from '../../src/nlu/model-cache';
import type { NluTrainingInput } from '../../src/nlu/nlu.service';

const languages: LanguageInfo[] = [
  { code: 'en', name: 'English', englishName: 'English', dir: 'ltr', script: 'Latn', stemmer: 'porter-en' },
  { code: 'de', name: 'Deutsch', englishName: 'German', dir: 'ltr', script: 'Latn', stemmer: 'porter-de' },
];
const phrases: Record<string, Array<[string, string]>> = {
  weather: [['en', 'what is the weather today'], ['en', 'will it rain tomorrow'], ['de', 'wie wird das wetter morgen'], ['de', 'regnet es heute']],
  alarm: [['en', 'set an alarm for 7 am'], ['en', 'wake me up at six'], ['de', 'weck mich um sechs'], ['de', 'stell einen wecker']],
  [OUT_OF_SCOPE]: [['en', 'tell me a joke'], ['de', 'erzähl einen witz']],
};
const examples: LabelledText[] = Object.entries(phrases).flatMap(([intent, texts]) => texts.map(([language, text]) => ({ text, intent, language })));
const input: NluTrainingInput = { languages, defaultLanguage: 'en', examples, dictionaries: [], training: { epochs: 30, seed: 1 } };
const probes = ['will it rain on the weekend', 'weck mich morgen früh', 'a joke please', 'regnet es'];
const session = { language: null, chosen: false };

describe('NLU model cache', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-model-cache-'));

  it('trains once, then restores a model that answers exactly like the trained one', () => {
    const cacheDir = dir();
    const first = trainOrRestore(input, cacheDir);
    const second = trainOrRestore(input, cacheDir);
    expect([first.source, second.source]).toEqual(['trained', 'cache']);
    for (const text of probes) expect(second.nlu.analyse(text, session)).toEqual(first.nlu.analyse(text, session));
    expect(fs.readdirSync(cacheDir)).toEqual([`nlu-${fingerprint(input)}.v8`]);
  });

  it('trains afresh when the content changes, and keeps only the newest model', () => {
    const cacheDir = dir();
    trainOrRestore(input, cacheDir);
    const changed = { ...input, examples: [...examples, { text: 'wecker aus bitte', intent: 'alarm', language: 'de' }] };
    expect(fingerprint(changed)).not.toBe(fingerprint(input));
    expect(trainOrRestore(changed, cacheDir).source).toBe('trained');
    expect(fs.readdirSync(cacheDir)).toEqual([`nlu-${fingerprint(changed)}.v8`]);
  });

  it('trains when the cached file is damaged, reports it, and repairs the cache', () => {
    const cacheDir = dir();
    fs.writeFileSync(path.join(cacheDir, `nlu-${fingerprint(input)}.v8`), 'not a model');
    const errors: Error[] = [];
    expect(trainOrRestore(input, cacheDir, (e) => errors.push(e)).source).toBe('trained');
    expect(errors).toHaveLength(1);
    expect(trainOrRestore(input, cacheDir).source).toBe('cache');
  });

  it('works without a cache folder, and when the folder cannot be written', () => {
    expect(trainOrRestore(input, null).source).toBe('trained');
    const file = path.join(dir(), 'a-file');
    fs.writeFileSync(file, '');
    const errors: Error[] = [];
    expect(trainOrRestore(input, path.join(file, 'below-a-file'), (e) => errors.push(e)).source).toBe('trained');
    expect(errors.length).toBeGreaterThan(0);
  });
});
