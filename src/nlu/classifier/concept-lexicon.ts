import { z } from 'zod';
import { StartupError } from '../../errors/app-error';
import type { Token } from '../text/tokenise';
import { tokenise } from '../text/tokenise';

export const conceptFileSchema = z.array(
  z.object({
    id: z.string().regex(/^[a-z_]+$/),
    /**
     * The concept is an aspect any topic has — what it costs, how long it takes, where to go, which
     * papers — not a topic itself: a question of aspects only ("Was kostet das?") is about the topic before it.
     */
    aspect: z.boolean().optional(),
    /**
     * `false`: not a feature of the intent classifier, only read for aspect questions. For words that
     * would add new evidence to the trained model (and so change it) where only the follow-up reading needs them.
     */
    feature: z.boolean().optional(),
    terms: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)),
  }),
);
export type ConceptEntry = z.infer<typeof conceptFileSchema>[number];

/**
 * Arabic writes the article and short particles onto the word ("بالوثائق", "ببياناتي", "لشهادتي").
 * The stemmer strips only the safe combinations; for matching concept terms every reading is tried.
 */
const ARABIC_CLITICS = ['وبال', 'وال', 'بال', 'فال', 'کال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ک'];
function withoutArabicClitics(form: string): string[] {
  if (!/^[\u0600-\u06FF]/.test(form)) return [];
  return ARABIC_CLITICS.filter((c) => form.startsWith(c) && form.length - c.length >= 3).map((c) => form.slice(c.length));
}

/** Terms shorter than this may not be prefixes: "ki*" would match half the dictionary. */
const MIN_PREFIX_LENGTH = 3;

/**
 * Maps words of any language to shared concepts ("Kosten", "cost", "تكلفة", "вартість" → cost), from
 * intents/lexicon. The classifier gets the concept as an extra feature, so the many German and
 * English training phrases teach it what the fewer Arabic, Persian, Ukrainian and Russian ones
 * cannot. Terms are written once and normalised exactly like message words.
 */
export class ConceptLexicon {
  private readonly exact = new Map<string, string[]>();
  private readonly prefixes = new Map<string, string[]>();
  private longestPrefix = 0;
  private readonly aspects = new Set<string>();
  private readonly notFeatures = new Set<string>();

  constructor(entries: ConceptEntry[]) {
    for (const entry of entries) {
      if (entry.aspect) this.aspects.add(entry.id);
      if (entry.feature === false) this.notFeatures.add(entry.id);
      for (const [language, terms] of Object.entries(entry.terms)) {
        for (const term of terms) this.add(entry.id, language, term);
      }
    }
  }

  static empty(): ConceptLexicon {
    return new ConceptLexicon([]);
  }

  /** Concept ids of one word, matched on its normalised form and its stem. */
  conceptsOf(token: Token & { stem?: string }, use: 'features' | 'reading' = 'features'): string[] {
    const found = new Set<string>();
    const forms = new Set([token.norm, ...(token.stem ? [token.stem] : []), ...withoutArabicClitics(token.norm)]);
    for (const form of forms) {
      for (const id of this.exact.get(form) ?? []) found.add(id);
      const limit = Math.min(form.length, this.longestPrefix);
      for (let length = MIN_PREFIX_LENGTH; length <= limit; length++) {
        for (const id of this.prefixes.get(form.slice(0, length)) ?? []) found.add(id);
      }
    }
    if (use === 'features') for (const id of this.notFeatures) found.delete(id);
    return [...found];
  }

  /** Whether the concept is an aspect (cost, duration, …) rather than a topic; see the schema. */
  isAspect(id: string): boolean {
    return this.aspects.has(id);
  }

  private add(id: string, language: string, term: string): void {
    const isPrefix = term.endsWith('*');
    const tokens = tokenise(isPrefix ? term.slice(0, -1) : term);
    if (tokens.length !== 1) throw new StartupError(`concept ${id} (${language}): "${term}" must be one word`);
    const form = tokens[0].norm;
    if (isPrefix && form.length < MIN_PREFIX_LENGTH) {
      throw new StartupError(`concept ${id} (${language}): prefix "${term}" is shorter than ${MIN_PREFIX_LENGTH} letters`);
    }
    const target = isPrefix ? this.prefixes : this.exact;
    const ids = target.get(form) ?? [];
    if (!ids.includes(id)) target.set(form, [...ids, id]);
    if (isPrefix) this.longestPrefix = Math.max(this.longestPrefix, form.length);
  }
}
