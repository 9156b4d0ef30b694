// natural's index pulls in dotenv and every module; the stemmers we need are loaded one by one.
import PorterStemmerEn from 'natural/lib/natural/stemmers/porter_stemmer';
import PorterStemmerDe from 'natural/lib/natural/stemmers/porter_stemmer_de';
import PorterStemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru';
import PorterStemmerUk from 'natural/lib/natural/stemmers/porter_stemmer_uk';
import PorterStemmerFa from 'natural/lib/natural/stemmers/porter_stemmer_fa';
import { StartupError } from '../../errors/app-error';

export type Stem = (normalisedToken: string) => string;

/**
 * Light Arabic stemmer in the spirit of Larkey's light10: strip the article and common conjunction
 * prefixes, then common plural/possessive suffixes, never below three letters. Runs on normalised
 * text (ی, ه), see normalise.ts.
 */
const ARABIC_PREFIXES = ['وال', 'بال', 'کال', 'فال', 'لل', 'ال'];
/**
 * Longest first. The possessive forms after a feminine noun keep its teh ("شهادتی", my
 * certificate): stripping "تی" lets it meet "شهاده" (teh marbuta normalised to heh), stemmed "شهاد".
 */
const ARABIC_SUFFIXES = ['تهم', 'تکم', 'تها', 'تنا', 'هم', 'کم', 'نا', 'تی', 'تک', 'ها', 'ان', 'ات', 'ون', 'ین', 'یه', 'ه', 'ی', 'ک'];
export function arabicLightStem(token: string): string {
  let word = token;
  for (const prefix of ARABIC_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 3) {
      word = word.slice(prefix.length);
      break;
    }
  }
  if (word.length > 3 && word.startsWith('و')) word = word.slice(1);
  for (const suffix of ARABIC_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      word = word.slice(0, -suffix.length);
      break;
    }
  }
  return word;
}

/** natural's Persian stemmer leaves plural endings; strip the common ones (ها/های/ان) afterwards. */
function persianStem(token: string): string {
  let word = String(PorterStemmerFa.stem(token));
  for (const suffix of ['های', 'ها', 'ان']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

const REGISTRY: Record<string, Stem> = {
  'porter-en': (t) => String(PorterStemmerEn.stem(t)),
  'porter-de': (t) => String(PorterStemmerDe.stem(t)),
  'porter-ru': (t) => String(PorterStemmerRu.stem(t)),
  'porter-uk': (t) => String(PorterStemmerUk.stem(t)),
  'porter-fa': persianStem,
  'arabic-light': arabicLightStem,
  none: (t) => t,
};

/** Stemming is the slowest step of analysis (µs per word); words repeat, so results are cached. */
export function createStemmer(name: string, cacheSize = 50_000): Stem {
  const stem = REGISTRY[name];
  if (!stem) throw new StartupError(`unknown stemmer "${name}" (known: ${Object.keys(REGISTRY).join(', ')})`);
  const cache = new Map<string, string>();
  return (token) => {
    let result = cache.get(token);
    if (result === undefined) {
      result = token.length <= 3 ? token : stem(token);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(token, result);
    }
    return result;
  };
}
