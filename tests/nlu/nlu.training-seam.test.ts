import { OUT_OF_SCOPE, type LabelledText } from '../../src/content/intent-files';
import type { LanguageInfo } from '../../src/i18n/languages';
import { decideIntent, FALLBACK_POLICY } from '../../src/nlu/fallback.policy';
import { NluService } from '../../src/nlu/nlu.service';

/** NluService trained on other data than intents/ (as bench/clinc150.bench.ts does), small enough to be instant. */
const english: LanguageInfo = { code: 'en', name: 'English', englishName: 'English', dir: 'ltr', script: 'Latn', stemmer: 'porter-en' };
const phrases: Record<string, string[]> = {
  weather: ['what is the weather today', 'will it rain tomorrow', 'is it sunny outside', 'weather forecast for the weekend'],
  alarm: ['set an alarm for 7 am', 'wake me up at six', 'alarm for tomorrow morning', 'cancel my morning alarm'],
  [OUT_OF_SCOPE]: ['who won the football game', 'tell me a joke', 'how do i bake bread'],
};
const examples: LabelledText[] = Object.entries(phrases).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent, language: 'en' })));
const nlu = NluService.train({ languages: [english], defaultLanguage: 'en', examples, dictionaries: [], training: { epochs: 30, seed: 1 } });
const session = { language: null, chosen: false };

describe('NluService training seam', () => {
  it('trains on any labelled data and uses the product fallback policy by default', () => {
    expect(nlu.intents).toEqual([...Object.keys(phrases)].sort());
    expect(nlu.fallbackPolicy).toEqual(FALLBACK_POLICY);
    expect(nlu.analyse('will it rain on the weekend', session).intent.name).toBe('weather');
  });

  it('classify() gives the ranking before the fallback policy, as analyse() computes it', () => {
    const raw = nlu.classify('wake me up tomorrow');
    expect(raw.prediction.ranking[0].name).toBe('alarm');
    expect(raw.wordCount).toBe(4);
    expect(decideIntent(raw.prediction, raw.wordCount, nlu.fallbackPolicy).intent.name).toBe(nlu.analyse('wake me up tomorrow', session).intent.name);
  });

  it('withFallbackPolicy() keeps the trained models and changes only the decision', () => {
    const strict = nlu.withFallbackPolicy({ ...FALLBACK_POLICY, confidenceThreshold: 1 });
    const result = strict.analyse('wake me up tomorrow', session);
    expect(result.intent.name).toBe(OUT_OF_SCOPE);
    expect(result.fallbackReason).toBe('low_confidence');
    expect(result.ranking[0].name).toBe('alarm');
    expect(nlu.analyse('wake me up tomorrow', session).intent.name).toBe('alarm');
  });
});
