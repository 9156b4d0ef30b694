import { asciiDigits, normaliseArabicScript, normaliseLatin } from '../../../src/nlu/text/normalise';
import { arabicLightStem } from '../../../src/nlu/text/stemmers';
import { tokenise } from '../../../src/nlu/text/tokenise';

describe('text normalisation', () => {
  it('removes Arabic diacritics and tatweel and unifies alef, yeh and teh marbuta', () => {
    expect(normaliseArabicScript('شَهَادَة')).toBe('شهاده');
    expect(normaliseArabicScript('الممرضـــة')).toBe('الممرضه');
    expect(normaliseArabicScript('أإآ')).toBe('ااا');
    expect(normaliseArabicScript('علي')).toBe(normaliseArabicScript('علی'));
  });

  it('makes Arabic and Persian letter forms meet', () => {
    expect(normaliseArabicScript('كيف')).toBe(normaliseArabicScript('کیف'));
  });

  it('turns Arabic-Indic and Persian digits into ASCII', () => {
    expect(asciiDigits('ب۲ و ٣')).toBe('ب2 و 3');
  });

  it('folds German umlauts and ß so spelling variants meet', () => {
    expect(normaliseLatin('Ärztin')).toBe('arztin');
    expect(normaliseLatin('Straße')).toBe('strasse');
  });

  it('tokenises code-switched text word by word with the script of each word', () => {
    const tokens = tokenise('هل أحتاج Anerkennung للشهادة؟');
    expect(tokens.map((t) => t.script)).toEqual(['Arab', 'Arab', 'Latn', 'Arab']);
    expect(tokens[2].norm).toBe('anerkennung');
  });

  it('keeps Ukrainian apostrophe words together and joins Persian ZWNJ words', () => {
    expect(tokenise("м'ясо").map((t) => t.norm)).toEqual(["м'ясо"]);
    expect(tokenise('می‌خواهم')).toHaveLength(1);
  });

  it('strips the Arabic article and plural endings in the light stemmer', () => {
    expect(arabicLightStem(normaliseArabicScript('الممرضات'))).toBe('ممرض');
    expect(arabicLightStem('بالشهادات')).toBe('شهاد');
  });
});
