/**
 * Per-script normalisation, applied token by token so code-switched messages ("هل أحتاج
 * Anerkennung؟") get the right treatment for each word.
 */
export type Script = 'Latn' | 'Cyrl' | 'Arab' | 'Other';

const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ZERO_WIDTH = /[\u200B-\u200F\u2060\uFEFF]/g;

export function scriptOf(char: string): Script {
  const code = char.codePointAt(0) ?? 0;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0xc0 && code <= 0x24f)) return 'Latn';
  if (code >= 0x400 && code <= 0x52f) return 'Cyrl';
  if ((code >= 0x600 && code <= 0x6ff) || (code >= 0x750 && code <= 0x77f) || (code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)) return 'Arab';
  return 'Other';
}

/** Arabic-Indic and Persian digits to ASCII, so "ب۲" and "B2" meet. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
}

/**
 * Arabic script, for Arabic and Persian alike: no diacritics or tatweel, one form of alef, yeh,
 * kaf and teh marbuta. Persian letters (ی ک) are the common target so both languages meet.
 */
export function normaliseArabicScript(token: string): string {
  return token
    .replace(ARABIC_DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/[يى]/g, 'ی')
    .replace(/ئ/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و');
}

export function normaliseCyrillic(token: string): string {
  return token.toLowerCase().replace(/ё/g, 'е').replace(/[’ʼ`]/g, "'");
}

/** Latin: lower case, no accents (ä→a, é→e), ß→ss, so "Aerzte"/"Ärzte"/"arzte" end up close. */
export function normaliseLatin(token: string): string {
  return token
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’ʼ`]/g, "'");
}

export function normaliseToken(token: string, script: Script): string {
  switch (script) {
    case 'Arab':
      return normaliseArabicScript(token);
    case 'Cyrl':
      return normaliseCyrillic(token);
    case 'Latn':
      return normaliseLatin(token);
    default:
      return token.toLowerCase();
  }
}

/** Whole-text clean-up before tokenising: Unicode composition, zero-width characters, digits. */
export function prepareText(text: string): string {
  // ZWNJ joins Persian verb prefixes ("می‌خواهم"); dropping it keeps the word together.
  return asciiDigits(text.normalize('NFC').replace(ZERO_WIDTH, ''));
}
