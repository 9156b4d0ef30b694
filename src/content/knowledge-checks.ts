import { loadLanguages } from '../i18n/languages';
import { loadArticles, type Article } from '../knowledge/articles';
import { GuideBook, type Guide } from '../knowledge/guides';
import { DEFAULT_REVIEW_INTERVAL_DAYS, ReferenceData } from '../knowledge/reference-data';
import { contentPaths } from '../service';
import type { Source } from '../storage/store';
import { loadEntityDictionaries, loadIntentFiles } from './intent-files';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Links written into article texts: markdown links and bare URLs. */
const LINK_IN_TEXT = /\]\(([^)\s]*)\)|\bhttps?:\/\/[^\s)>\]]+/g;

/** A link a person can open: http(s), a host with a dot, nothing that URL parsing had to repair. */
export function isWellFormedLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname.includes('.') && !/\s/.test(url);
  } catch {
    return false;
  }
}

interface Reviewable {
  where: string;
  reviewed: string;
  reviewIntervalDays?: number;
  sources: Source[];
}

function checkReviewable(item: Reviewable, today: Date, problems: string[]): void {
  if (item.sources.length === 0) problems.push(`${item.where}: no sources`);
  for (const source of item.sources) if (!isWellFormedLink(source.url)) problems.push(`${item.where}: malformed source link "${source.url}"`);
  const reviewed = Date.parse(`${item.reviewed}T00:00:00Z`);
  if (Number.isNaN(reviewed)) return void problems.push(`${item.where}: reviewed date "${item.reviewed}" is not a date`);
  const ageDays = Math.floor((today.getTime() - reviewed) / DAY_MS);
  const interval = item.reviewIntervalDays ?? DEFAULT_REVIEW_INTERVAL_DAYS;
  if (ageDays < 0) problems.push(`${item.where}: reviewed date ${item.reviewed} is in the future`);
  else if (ageDays > interval) problems.push(`${item.where}: last reviewed ${item.reviewed}, ${ageDays} days ago; review due every ${interval} days`);
}

export function missingLanguages(texts: Record<string, unknown> | undefined, codes: string[]): string[] {
  return codes.filter((code) => !texts || texts[code] === undefined || (Array.isArray(texts[code]) && (texts[code] as unknown[]).length === 0));
}

function checkArticle(article: Article, codes: string[], intents: Set<string>, entities: Set<string>, today: Date, problems: string[]): void {
  const where = `knowledge/articles/${article.id}.md`;
  checkReviewable({ where, ...article }, today, problems);
  for (const lng of missingLanguages(article.texts, codes)) problems.push(`${where}: no ${lng} section`);
  for (const intent of article.intents) if (!intents.has(intent)) problems.push(`${where}: unknown intent ${intent}`);
  for (const entity of article.entities) if (!entities.has(entity)) problems.push(`${where}: unknown entity ${entity}`);
  for (const [lng, text] of Object.entries(article.texts)) {
    for (const match of text.body.matchAll(LINK_IN_TEXT)) {
      const url = match[1] ?? match[0];
      if (!isWellFormedLink(url)) problems.push(`${where} (${lng}): malformed link "${url}"`);
    }
  }
}

function checkGuide(guide: Guide, codes: string[], intents: Set<string>, today: Date, problems: string[]): void {
  const where = `knowledge/guides/${guide.id}.yaml`;
  const d = guide.definition;
  checkReviewable({ where, reviewed: d.reviewed, reviewIntervalDays: d.reviewIntervalDays, sources: d.steps.flatMap((s) => s.sources) }, today, problems);
  for (const intent of [d.intent, ...d.offeredFor]) if (!intents.has(intent)) problems.push(`${where}: unknown intent ${intent}`);
  const texts: [string, Record<string, unknown> | undefined][] = [
    ['title', d.title], ['offer', d.offer], ['intro', d.intro], ['nextStep', d.nextStep],
    ...d.questions.flatMap((q): [string, Record<string, unknown>][] => [[`question ${q.id}`, q.text], ...q.options.map((o): [string, Record<string, unknown>] => [`option ${q.id}.${o.value}`, o.label])]),
    ...d.steps.flatMap((s): [string, Record<string, unknown> | undefined][] => [[`step ${s.id} title`, s.title], [`step ${s.id} text`, s.text], ...(s.contact ? [[`step ${s.id} contact`, s.contact] as [string, Record<string, unknown>]] : [])]),
  ];
  for (const [field, value] of texts) for (const lng of missingLanguages(value, codes)) problems.push(`${where}: ${field} has no ${lng} text`);
}

/**
 * The knowledge base check (`npm run kb:check`): every article, guide and data record loads against
 * its schema, exists in every language, has well-formed source links and is not older than its
 * review interval. Returns the problems; loading errors (bad schema) are problems too.
 */
export function checkKnowledge(root: string, today = new Date()): string[] {
  const problems: string[] = [];
  const paths = contentPaths(root);
  const codes = loadLanguages(paths.locales).map((l) => l.code);
  const intents = new Set(loadIntentFiles(paths.intents, codes).map((f) => f.intent));
  const attempt = <T>(what: string, load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
      return undefined;
    }
  };

  const data = attempt('knowledge/data', () => ReferenceData.load(paths.data));
  // What an article's `entities` may name: entries of intents/entities and professions of knowledge/data.
  const entities = new Set([
    ...(attempt('intents/entities', () => loadEntityDictionaries(paths.entities)) ?? []).map((e) => `${e.type}:${e.id}`),
    ...(data?.professions() ?? []).map((p) => `profession:${p.id}`),
  ]);
  for (const article of attempt('knowledge/articles', () => loadArticles(paths.articles)) ?? []) checkArticle(article, codes, intents, entities, today, problems);
  for (const guide of attempt('knowledge/guides', () => GuideBook.load(paths.guides))?.guides ?? []) checkGuide(guide, codes, intents, today, problems);

  for (const body of data?.bodies() ?? []) {
    const where = `knowledge/data/bodies.yaml: ${body.id}`;
    checkReviewable({ where, ...body }, today, problems);
    if (!isWellFormedLink(body.url)) problems.push(`${where}: malformed url "${body.url}"`);
    for (const lng of missingLanguages(body.decides, codes)) problems.push(`${where}: "decides" has no ${lng} text`);
    if (body.note) for (const lng of missingLanguages(body.note, codes)) problems.push(`${where}: "note" has no ${lng} text`);
  }
  for (const profession of data?.professions() ?? []) {
    const where = `knowledge/data/professions.yaml: ${profession.id}`;
    checkReviewable({ where, ...profession }, today, problems);
    for (const lng of missingLanguages(profession.names, codes)) problems.push(`${where}: no ${lng} name`);
  }
  return problems;
}
