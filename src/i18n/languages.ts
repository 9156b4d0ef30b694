import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';

/** ISO 639-1 code of a supported language; the set is whatever `locales/` holds. */
export type LanguageCode = string;

const languageSchema = z.object({
  code: z.string().regex(/^[a-z]{2}$/),
  name: z.string().min(1),
  englishName: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  /** ISO 15924 script the language is written in; narrows language detection. */
  script: z.enum(['Latn', 'Cyrl', 'Arab']),
  /** Stemmer id from src/nlu/text/stemmers.ts. */
  stemmer: z.string().min(1),
  /** Words that join two questions in one message ("und", "and"): the NLU reads each clause on its own too. */
  clauseJoiners: z.array(z.string().min(1)).optional(),
  /** Typed answers that mean yes ("ja", "نعم"): to a yes/no question with buttons they count as its yes button. */
  affirmations: z.array(z.string().min(1)).optional(),
  /**
   * Typed answers that mean no or "I don't know" ("nein", "keine", "не знаю"): to a yes/no question
   * with a no button they count as that button; on their own they ask nothing (and are never an emergency).
   */
  negations: z.array(z.string().min(1)).optional(),
});

export type LanguageInfo = z.infer<typeof languageSchema>;

/** Reads `locales/<lng>/language.json` for every language folder. Adding a folder adds a language. */
export function loadLanguages(localesDir: string): LanguageInfo[] {
  if (!fs.existsSync(localesDir)) throw new StartupError(`locales directory not found: ${localesDir}`);
  const languages = fs
    .readdirSync(localesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const file = path.join(localesDir, d.name, 'language.json');
      const parsed = languageSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (!parsed.success || parsed.data.code !== d.name) {
        throw new StartupError(`invalid ${file}: ${parsed.success ? 'code does not match folder' : parsed.error.message}`);
      }
      return parsed.data;
    });
  if (languages.length === 0) throw new StartupError('no languages in locales/');
  return languages.sort((a, b) => a.code.localeCompare(b.code));
}
