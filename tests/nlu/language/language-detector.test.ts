import type { LanguageInfo } from '../../../src/i18n/languages';
import { LanguageDetector, withoutQuotations } from '../../../src/nlu/language/language-detector';

const language = (code: string, script: LanguageInfo['script']): LanguageInfo => ({ code, name: code, englishName: code, dir: script === 'Arab' ? 'rtl' : 'ltr', script, stemmer: code });
const LANGUAGES = [language('de', 'Latn'), language('en', 'Latn'), language('ar', 'Arab'), language('fa', 'Arab'), language('uk', 'Cyrl')];
const SAMPLES: [string, string][] = [
  ['de', 'Ich möchte meinen Abschluss anerkennen lassen und brauche einen Deutschkurs'],
  ['de', 'Wie lange dauert die Anerkennung und welche Unterlagen brauche ich'],
  ['en', 'I would like to get my degree recognised and I need a German course'],
  ['en', 'How long does the recognition take and which documents do I need'],
  ['ar', 'أريد معادلة شهادتي وأحتاج إلى دورة لغة ألمانية'],
  ['fa', 'می‌خواهم مدرکم را شناسایی کنم و به کلاس زبان آلمانی نیاز دارم'],
  ['uk', 'Я хочу визнати свій диплом і мені потрібен курс німецької'],
];

function trained(): LanguageDetector {
  const detector = new LanguageDetector(LANGUAGES, 'de');
  for (const [code, text] of SAMPLES) detector.addSample(code, text);
  detector.train();
  return detector;
}

describe('LanguageDetector', () => {
  it('tells languages of one script apart and decides a single-language script by the script alone', () => {
    const detector = trained();
    expect(detector.detect('welche Unterlagen brauche ich für den Deutschkurs')).toMatchObject({ language: 'de', basis: 'model' });
    expect(detector.detect('which documents do I need for the course')).toMatchObject({ language: 'en', basis: 'model' });
    expect(detector.detect('أحتاج إلى معادلة الشهادة')).toMatchObject({ language: 'ar', basis: 'model' });
    expect(detector.detect('به کلاس زبان نیاز دارم')).toMatchObject({ language: 'fa', basis: 'model' });
    expect(detector.detect('мені потрібен диплом')).toEqual({ language: 'uk', confidence: 1, basis: 'script' });
  });

  it('gives the same guess for a message seen before, and after so many other words that it starts its word memory over', () => {
    const detector = trained();
    const text = 'Wie lange dauert der Deutschkurs und welche Unterlagen brauche ich';
    const first = detector.detect(text);
    expect(detector.detect(text)).toEqual(first);
    for (let i = 0; i < 25_000; i++) detector.detect(`wort${i} anerkennung`);
    const again = detector.detect(text);
    expect(again.language).toBe(first.language);
    expect(again.confidence).toBeCloseTo(first.confidence, 12);
    // A detector that never saw other messages scores it the same.
    expect(trained().detect(text).confidence).toBeCloseTo(first.confidence, 12);
  });

  it('restores from its snapshot with the same guesses', () => {
    const detector = trained();
    const restored = LanguageDetector.fromSnapshot(LANGUAGES, 'de', detector.toSnapshot());
    for (const text of ['How long does it take', 'wie lange dauert es', 'کلاس زبان', 'دورة لغة']) expect(restored.detect(text)).toEqual(detector.detect(text));
  });

  it('keeps the session language for a short or uncertain message', () => {
    const detector = trained();
    expect(detector.detect('ok', 'en')).toEqual({ language: 'en', confidence: 0, basis: 'session' });
    expect(detector.detect('Anerkennungsverfahren', 'ar')).toEqual({ language: 'ar', confidence: 0, basis: 'session' });
    expect(detector.detect('???', null)).toEqual({ language: 'de', confidence: 0, basis: 'default' });
  });

  it('leaves quotations out of the language question, but not apostrophes, and keeps a message that is only a quotation', () => {
    expect(withoutQuotations("what if it says 'Beschäftigung nur mit Erlaubnis der Ausländerbehörde'?").trim()).toBe('what if it says  ?');
    expect(withoutQuotations('Was bedeutet „Fiktionsbescheinigung“?')).not.toContain('Fiktion');
    expect(withoutQuotations('ما معنى «Beschäftigungsduldung»؟')).not.toContain('Beschäftigung');
    expect(withoutQuotations("I don't know, it's fine")).toBe("I don't know, it's fine");
    expect(withoutQuotations('"Ausbildungsduldung"')).toBe('"Ausbildungsduldung"');
  });
});
