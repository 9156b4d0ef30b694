import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { DictionaryEntry } from '../nlu/entities/dictionary-matcher';
import { conceptFileSchema, type ConceptEntry } from '../nlu/classifier/concept-lexicon';
import { listFiles, readYaml } from './yaml-files';

export const OUT_OF_SCOPE = 'out_of_scope';

const intentFileSchema = z.object({
  intent: z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/),
  description: z.string().min(1),
  audience: z.array(z.enum(['migrant', 'employer'])).optional(),
  /**
   * The intent asks about an aspect every topic has (cost, duration, where to go, papers). Its short
   * questions that name no topic ("Was kostet das?") are about the topic asked before, whatever it was.
   */
  aspect: z.boolean().optional(),
  examples: z.record(z.string(), z.array(z.string().trim().min(1))),
});

export type IntentFile = z.infer<typeof intentFileSchema>;

export interface LabelledText {
  text: string;
  intent: string;
  language: LanguageCode;
}

/** Loads every `<intent>.yaml` of a folder (training phrases, or the held-out test set). */
export function loadIntentFiles(dir: string, languages: LanguageCode[]): IntentFile[] {
  const files = listFiles(dir, '.yaml');
  if (files.length === 0) throw new StartupError(`no intent files in ${dir}`);
  return files.map((file) => {
    const data = readYaml(file, intentFileSchema);
    if (path.basename(file) !== `${data.intent}.yaml`) throw new StartupError(`${file}: file name must be ${data.intent}.yaml`);
    for (const lng of Object.keys(data.examples)) {
      if (!languages.includes(lng)) throw new StartupError(`${file}: unknown language "${lng}"`);
    }
    return data;
  });
}

export function labelledTexts(files: IntentFile[]): LabelledText[] {
  return files.flatMap((file) =>
    Object.entries(file.examples).flatMap(([language, texts]) => texts.map((text) => ({ text, intent: file.intent, language }))),
  );
}

const entityFileSchema = z.array(
  z.object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.string().optional(),
    district: z.string().optional(),
    names: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)),
    /** Words close to a name that mean something else ("Hallo" is not Halle); they never match. */
    lookalikes: z.array(z.string().min(1)).optional(),
  }),
);

export type EntityFileEntry = z.infer<typeof entityFileSchema>[number];

/** Entity type of each dictionary file in `intents/entities/`. */
export const ENTITY_FILES: Record<string, string> = {
  'places.yaml': 'place',
  'countries.yaml': 'country',
  'residence-statuses.yaml': 'residence_status',
  'crisis-terms.yaml': 'crisis',
};

export function loadEntityFile(file: string): EntityFileEntry[] {
  return readYaml(file, entityFileSchema);
}

export function loadEntityDictionaries(dir: string): DictionaryEntry[] {
  return Object.entries(ENTITY_FILES).flatMap(([name, type]) => {
    const file = path.join(dir, name);
    return listFiles(dir, '.yaml').includes(file)
      ? loadEntityFile(file).map((e) => ({ type, id: e.id, names: Object.values(e.names).flat(), lookalikes: e.lookalikes }))
      : [];
  });
}

/** Cross-language concepts for the classifier: every `intents/lexicon/*.yaml`. */
export function loadConcepts(dir: string): ConceptEntry[] {
  return listFiles(dir, '.yaml').flatMap((file) => readYaml(file, conceptFileSchema));
}
