import type { LanguageCode, LanguageInfo } from '../../i18n/languages';
import type { Script } from '../text/normalise';
import { tokenise, type Token } from '../text/tokenise';

export interface LanguageGuess {
  language: LanguageCode;
  /** 0..1; 1 when the script alone decides. */
  confidence: number;
  /** How it was decided: the script has one language, the n-gram model, the session, or the default. */
  basis: 'script' | 'model' | 'session' | 'default';
}

/**
 * Messages this short ("ok", "سلام", "danke") say too little; they keep the session's language. So
 * do long single words: in an Arabic or Ukrainian chat "Integrationskurs?" or "Berufssprachkurs" is a
 * German term, not a switch of language (and the training phrases of every language use such terms).
 */
export const SHORT_MESSAGE_MAX_WORDS = 2;
/** Below this mean log-likelihood margin per feature, an uncertain guess defers to the session. */
export const UNCERTAIN_MARGIN = 0.08;

const SMOOTHING = 0.5;
/** Words whose scores are remembered; when full, the memory starts over (people's words repeat a lot, not endlessly). */
const REMEMBERED_WORDS = 20_000;
const LATIN_WORD_WEIGHT = 0.5;
const WORD_FEATURE = 'w:';
/**
 * A word seen in training counts this many times. Its character n-grams all say the same thing
 * again, and naive Bayes adds them up as if they were independent: "Hallo", 40 times in German
 * phrases, lost to the English look of "o" and "lo_". Chosen by 5-fold cross-validation of detection
 * on the training phrases (2.64 % wrong with 1, 2.42 % with 6, no better above).
 */
const KNOWN_WORD_WEIGHT = 6;

/**
 * A quotation in a message: opened after a space or a bracket (not an apostrophe inside a word such
 * as "don't"), closed before a space, punctuation or the end.
 */
const QUOTATION = /(^|[\s(:,;])["'„“”«‚‘][^"'„“”«»‚‘’\n]{1,300}["'“”»‘’](?=$|[\s.,;:!?)؟،])/gu;

/**
 * The message without what it quotes: quoted words are someone else's (a letter, a document, "it
 * says 'Beschäftigung nur mit Erlaubnis der Ausländerbehörde'") and say nothing about the language
 * the person writes in. The whole message when it is nothing but a quotation.
 */
export function withoutQuotations(text: string): string {
  const rest = text.replace(QUOTATION, '$1 ');
  return /[\p{L}\p{N}]/u.test(rest) ? rest : text;
}

export interface LanguageDetectorSnapshot {
  codes: LanguageCode[];
  features: string[];
  logProbs: Float64Array;
  unseen: Float64Array;
}

/**
 * Detects the language of a message: the script narrows the candidates (Arabic script → ar/fa,
 * Cyrillic → uk/ru, Latin → de/en), then a naive Bayes model over character 1–3-grams and words,
 * trained on our own texts, decides among them. Only words in the message's main script count, so
 * German terms inside an Arabic or Ukrainian sentence do not pull it towards German.
 */
export class LanguageDetector {
  private readonly codes: LanguageCode[];
  private readonly scriptOf = new Map<LanguageCode, Script>();
  private readonly counts = new Map<string, Float64Array>();
  private readonly totals: Float64Array;
  /**
   * Each feature's row in `logProbs` (one log-probability per language). One flat table rather than
   * an array per feature: tens of thousands of small arrays would cost megabytes of headers alone.
   */
  private rows = new Map<string, number>();
  private logProbs = new Float64Array(0);
  private unseen = new Float64Array(0);
  /**
   * Each word's summed log-probabilities (one per language) and its feature count, in one table
   * like `logProbs`: a word's n-grams are looked up once, not in every message that uses it.
   */
  private readonly wordRows = new Map<string, number>();
  private wordScores = new Float64Array(0);

  constructor(
    languages: LanguageInfo[],
    readonly defaultLanguage: LanguageCode,
  ) {
    this.codes = languages.map((l) => l.code);
    for (const l of languages) this.scriptOf.set(l.code, l.script);
    this.totals = new Float64Array(this.codes.length);
  }

  addSample(language: LanguageCode, text: string): void {
    const index = this.codes.indexOf(language);
    if (index < 0) return;
    const script = this.scriptOf.get(language)!;
    forEachFeature(tokenise(text), script, (feature) => {
      let row = this.counts.get(feature);
      if (!row) this.counts.set(feature, (row = new Float64Array(this.codes.length)));
      row[index]++;
      this.totals[index]++;
    });
  }

  /** Turns counts into log-probabilities; call once after the samples are added. */
  train(): void {
    const vocabulary = this.counts.size;
    const width = this.codes.length;
    this.unseen = this.totals.map((total) => Math.log(SMOOTHING / (total + SMOOTHING * vocabulary)));
    this.rows = new Map();
    this.logProbs = new Float64Array(vocabulary * width);
    for (const [feature, counts] of this.counts) {
      const row = this.rows.size;
      this.rows.set(feature, row);
      counts.forEach((count, i) => (this.logProbs[row * width + i] = Math.log((count + SMOOTHING) / (this.totals[i] + SMOOTHING * vocabulary))));
    }
    // Detection reads only the log-probabilities: the counts would double the detector's memory.
    this.counts.clear();
    this.wordRows.clear();
  }

  /** The trained tables (one row of log-probabilities per feature, flattened), for the model cache. */
  toSnapshot(): LanguageDetectorSnapshot {
    return { codes: this.codes, features: [...this.rows.keys()], logProbs: this.logProbs, unseen: this.unseen };
  }

  static fromSnapshot(languages: LanguageInfo[], defaultLanguage: LanguageCode, snapshot: LanguageDetectorSnapshot): LanguageDetector {
    const detector = new LanguageDetector(languages, defaultLanguage);
    if (snapshot.codes.join() !== detector.codes.join()) throw new Error('language detector snapshot is for other languages');
    snapshot.features.forEach((feature, row) => detector.rows.set(feature, row));
    detector.logProbs = Float64Array.from(snapshot.logProbs);
    detector.unseen = Float64Array.from(snapshot.unseen);
    return detector;
  }

  detect(text: string, sessionLanguage?: LanguageCode | null): LanguageGuess {
    return this.detectTokens(tokenise(text), sessionLanguage);
  }

  /** `detect` for a message already tokenised (the NLU tokenises each message once). */
  detectTokens(tokens: Token[], sessionLanguage?: LanguageCode | null): LanguageGuess {
    const words: Record<Script, number> = { Latn: 0, Cyrl: 0, Arab: 0, Other: 0 };
    for (const t of tokens) words[t.script]++;
    const script = mainScript(words);
    const fallback = (): LanguageGuess =>
      sessionLanguage ? { language: sessionLanguage, confidence: 0, basis: 'session' } : { language: this.defaultLanguage, confidence: 0, basis: 'default' };

    if (script === 'Other') return fallback();
    if (words[script] <= SHORT_MESSAGE_MAX_WORDS && sessionLanguage) return { language: sessionLanguage, confidence: 0, basis: 'session' };

    const candidates = this.codes.map((code, i) => ({ code, i })).filter((c) => this.scriptOf.get(c.code) === script);
    if (candidates.length === 0) return fallback();
    if (candidates.length === 1) return { language: candidates[0].code, confidence: 1, basis: 'script' };

    const stride = this.codes.length + 1;
    const sums = candidates.map(() => 0);
    let featureCount = 0;
    for (const token of tokens) {
      if (token.script !== script) continue;
      const at = this.wordScoreRow(token.raw.toLowerCase()) * stride;
      for (let c = 0; c < candidates.length; c++) sums[c] += this.wordScores[at + candidates[c].i];
      featureCount += this.wordScores[at + stride - 1];
    }
    const scores = candidates.map(({ code }, c) => ({ code, score: sums[c] }));
    scores.sort((a, b) => b.score - a.score);
    const margin = (scores[0].score - scores[1].score) / Math.max(1, featureCount);
    const sessionIsCandidate = sessionLanguage !== undefined && sessionLanguage !== null && scores.some((s) => s.code === sessionLanguage);
    if (margin < UNCERTAIN_MARGIN && sessionIsCandidate) return { language: sessionLanguage!, confidence: 0, basis: 'session' };
    const confidence = 1 / (1 + Math.exp(-margin * featureCount));
    return { language: scores[0].code, confidence, basis: 'model' };
  }

  /** The row of `wordScores` with the word's sums for every language, then its feature count. */
  private wordScoreRow(word: string): number {
    const known = this.wordRows.get(word);
    if (known !== undefined) return known;
    if (this.wordRows.size >= REMEMBERED_WORDS) this.wordRows.clear();
    const width = this.codes.length;
    const stride = width + 1;
    const row = this.wordRows.size;
    if ((row + 1) * stride > this.wordScores.length) {
      const grown = new Float64Array(Math.min(REMEMBERED_WORDS, Math.max(1024, row * 2)) * stride);
      grown.set(this.wordScores.subarray(0, row * stride));
      this.wordScores = grown;
    }
    const at = row * stride;
    this.wordScores.fill(0, at, at + stride);
    forEachWordFeature(word, (feature) => {
      const featureRow = this.rows.get(feature);
      const weight = featureRow !== undefined && feature.startsWith(WORD_FEATURE) ? KNOWN_WORD_WEIGHT : 1;
      for (let i = 0; i < width; i++) this.wordScores[at + i] += weight * (featureRow === undefined ? this.unseen[i] : this.logProbs[featureRow * width + i]);
      this.wordScores[at + width] += weight;
    });
    this.wordRows.set(word, row);
    return row;
  }
}

/**
 * The script most words are written in. People writing Arabic, Persian, Ukrainian or Russian mix in
 * German terms ("Ausbildungsduldung"), rarely the other way round, so a Latin word counts half.
 */
function mainScript(words: Record<Script, number>): Script {
  const weight = (s: Script) => (s === 'Latn' ? words[s] * LATIN_WORD_WEIGHT : words[s]);
  return (['Cyrl', 'Arab', 'Latn'] as const).reduce<Script>((best, s) => (words[s] > 0 && (best === 'Other' || weight(s) > weight(best)) ? s : best), 'Other');
}

/** Characters outside the Basic Multilingual Plane take two code units: only then must n-grams be cut by code point. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Visits the features of the words written in `script`: the word itself and its character
 * 1–3-grams with boundary marks. Built from the lower-cased original (not the matching
 * normalisation, which deliberately merges Arabic and Persian letter forms that tell the two
 * languages apart).
 */
function forEachFeature(tokens: Token[], script: Script, visit: (feature: string) => void): void {
  for (const token of tokens) if (token.script === script) forEachWordFeature(token.raw.toLowerCase(), visit);
}

function forEachWordFeature(word: string, visit: (feature: string) => void): void {
  visit(`${WORD_FEATURE}${word}`);
  const padded = `_${word}_`;
  const chars = SURROGATE.test(padded) ? [...padded] : padded;
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = typeof chars === 'string' ? chars.slice(i, i + n) : chars.slice(i, i + n).join('');
      if (gram !== '_') visit(gram);
    }
  }
}
