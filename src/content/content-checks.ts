import fs from 'node:fs';
import path from 'node:path';
import { loadLanguages } from '../i18n/languages';
import { loadArticles } from '../knowledge/articles';
import { contentPaths } from '../service';
import { checkKnowledge, missingLanguages } from './knowledge-checks';
import { ENTITY_FILES, labelledTexts, loadEntityFile, loadIntentFiles, OUT_OF_SCOPE } from './intent-files';
import { tokenise } from '../nlu/text/tokenise';

/** The intent ids of the public contract (CONTRACT.md, issue #2). */
export const CONTRACT_INTENTS = [
  'recognition.need', 'recognition.authority', 'recognition.documents', 'recognition.costs', 'recognition.duration',
  'recognition.partial', 'recognition.academic', 'language.courses', 'language.during_training', 'language.certificates',
  'training.find', 'training.preparation', 'training.support', 'training.funding', 'coaching.offers', 'residence.training',
  'employer.hire_abroad', 'employer.hire_refugee', 'employer.train_migrant', 'employer.funding', 'greeting', 'goodbye',
  'thanks', 'bot.capabilities', 'handoff.request', 'escalation.urgent', 'privacy', OUT_OF_SCOPE,
] as const;

/** Intents answered by code paths with fixed texts rather than by an article. */
const SPECIAL_ANSWERS: Record<string, string> = { 'handoff.request': 'handoff.queued', 'escalation.urgent': 'urgent.text', [OUT_OF_SCOPE]: 'fallback.notUnderstood' };

export const MIN_EXAMPLES = { de: 20, en: 20, other: 12 } as const;

function flattenKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenKeys(v, prefix ? `${prefix}.${k}` : k));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Every rule the content must follow, as a list of problems (empty = valid). Loading itself
 * throws on malformed files; these are the cross-file rules on top.
 */
export function checkContent(root: string, today = new Date()): string[] {
  const problems: string[] = [];
  const paths = contentPaths(root);
  const codes = loadLanguages(paths.locales).map((l) => l.code);

  // Fixed texts: every key of every namespace in every language.
  const reference = codes.includes('de') ? 'de' : codes[0];
  for (const file of fs.readdirSync(path.join(paths.locales, reference)).filter((f) => f.endsWith('.json'))) {
    const expected = new Set(flattenKeys(readJson(path.join(paths.locales, reference, file))));
    for (const lng of codes) {
      const target = path.join(paths.locales, lng, file);
      if (!fs.existsSync(target)) {
        problems.push(`locales/${lng}/${file} is missing`);
        continue;
      }
      const actual = new Set(flattenKeys(readJson(target)));
      for (const key of expected) if (!actual.has(key)) problems.push(`locales/${lng}/${file}: missing key "${key}"`);
      for (const key of actual) if (!expected.has(key)) problems.push(`locales/${lng}/${file}: key "${key}" is not in ${reference}`);
    }
  }

  // Training phrases: every contract intent, enough examples per language, no duplicates across intents.
  const files = loadIntentFiles(paths.intents, codes);
  const intents = new Set(files.map((f) => f.intent));
  for (const id of CONTRACT_INTENTS) if (!intents.has(id)) problems.push(`intents/${id}.yaml is missing`);
  for (const file of files) {
    for (const lng of codes) {
      const count = new Set(file.examples[lng] ?? []).size;
      const min = lng === 'de' || lng === 'en' ? MIN_EXAMPLES[lng] : MIN_EXAMPLES.other;
      if (count < min) problems.push(`intents/${file.intent}.yaml: ${count} distinct ${lng} examples, at least ${min} needed`);
    }
  }
  const owner = new Map<string, string>();
  for (const example of labelledTexts(files)) {
    const key = example.text.trim().toLowerCase();
    const previous = owner.get(key);
    if (previous && previous !== example.intent) problems.push(`example "${example.text}" is in both ${previous} and ${example.intent}`);
    owner.set(key, example.intent);
  }

  // Knowledge (articles, guides, data records): see knowledge-checks.ts, also run alone as `npm run kb:check`.
  problems.push(...checkKnowledge(root, today));
  // An answer for every intent in every language.
  const articles = loadArticles(paths.articles);
  for (const intent of intents) {
    const hasArticle = articles.some((a) => a.intents.includes(intent));
    const key = SPECIAL_ANSWERS[intent] ?? `answers.${intent.replace(/\./g, '_')}`;
    const hasFixed = codes.every((lng) => flattenKeys(readJson(path.join(paths.locales, lng, 'chat.json'))).includes(key));
    if (!hasArticle && !hasFixed) problems.push(`intent ${intent} has neither a knowledge article nor the fixed text "${key}"`);
  }

  for (const name of Object.keys(ENTITY_FILES)) {
    const file = path.join(paths.entities, name);
    if (!fs.existsSync(file)) continue;
    for (const entry of loadEntityFile(file)) {
      for (const lng of missingLanguages(entry.names, codes)) problems.push(`intents/entities/${name}: ${entry.id} has no ${lng} name`);
      // "§ 24" is "24" once tokenised, and "ich bin 24" would be temporary protection.
      for (const text of Object.values(entry.names).flat()) {
        const words = tokenise(text);
        if (words.length > 0 && words.every((w) => /^\d+$/.test(w.norm))) problems.push(`intents/entities/${name}: ${entry.id}: "${text}" is only a number for matching; add the law ("§ 24 AufenthG")`);
      }
    }
  }
  return problems;
}
