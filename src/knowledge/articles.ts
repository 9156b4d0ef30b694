import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { Source } from '../storage/store';
import { listFiles } from '../content/yaml-files';
import { DEFAULT_REVIEW_INTERVAL_DAYS, reviewedSchema } from './reference-data';

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  intents: z.array(z.string().min(1)).min(1),
  audience: z.array(z.enum(['migrant', 'employer'])).min(1),
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
  reviewed: reviewedSchema,
  reviewIntervalDays: z.number().int().positive().default(DEFAULT_REVIEW_INTERVAL_DAYS),
  sources: z.array(z.object({ title: z.string().min(1), url: z.string().url().startsWith('http') })).min(1),
  related: z.array(z.string()).optional(),
  /**
   * Entities ("residence_status:duldung") that make this article the better answer among those for
   * its intent: a person with a Duldung asking about training gets the Ausbildungsduldung, not the
   * visa from abroad, even where their words fit both.
   */
  entities: z.array(z.string().regex(/^[a-z_]+:[a-z0-9-]+$/, 'entities are written type:value, e.g. residence_status:duldung')).optional(),
});

export interface ArticleText {
  title: string;
  /** Markdown-light body: paragraphs, "- " bullets, **bold** labels. Ends with the next step. */
  body: string;
}

export interface Article {
  id: string;
  intents: string[];
  audience: ('migrant' | 'employer')[];
  reviewed: string;
  reviewIntervalDays: number;
  sources: Source[];
  related: string[];
  /** `type:value` of the entities this article is for (see the front matter). */
  entities: string[];
  texts: Record<LanguageCode, ArticleText>;
}

const SECTION_MARKER = /^<!--\s*lang:\s*([a-z]{2})\s*-->\s*$/gm;

/** Parses one article file: YAML front matter, then one `<!-- lang: xx -->` section per language. */
export function parseArticle(file: string, content: string): Article {
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(content);
  if (!front) throw new StartupError(`${file}: missing front matter`);
  const parsed = frontMatterSchema.safeParse(yaml.load(front[1]));
  if (!parsed.success) throw new StartupError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const meta = parsed.data;
  const rest = content.slice(front[0].length);
  const markers = [...rest.matchAll(SECTION_MARKER)];
  const texts: Record<LanguageCode, ArticleText> = {};
  markers.forEach((marker, i) => {
    const start = (marker.index ?? 0) + marker[0].length;
    const end = i + 1 < markers.length ? markers[i + 1].index : rest.length;
    const section = rest.slice(start, end).trim();
    const title = /^#\s+(.+)$/m.exec(section);
    if (!title) throw new StartupError(`${file}: section "${marker[1]}" has no "# title" line`);
    texts[marker[1]] = { title: title[1].trim(), body: section.slice((title.index ?? 0) + title[0].length).trim() };
  });
  for (const lng of meta.languages) {
    if (!texts[lng] || texts[lng].body.length === 0) throw new StartupError(`${file}: language "${lng}" is listed but has no text`);
  }
  if (path.basename(file) !== `${meta.id}.md`) throw new StartupError(`${file}: file name must be ${meta.id}.md`);
  return { id: meta.id, intents: meta.intents, audience: meta.audience, reviewed: meta.reviewed, reviewIntervalDays: meta.reviewIntervalDays, sources: meta.sources, related: meta.related ?? [], entities: meta.entities ?? [], texts };
}

export function loadArticles(dir: string): Article[] {
  const articles = listFiles(dir, '.md').map((file) => parseArticle(file, fs.readFileSync(file, 'utf8')));
  const ids = new Set(articles.map((a) => a.id));
  for (const article of articles) {
    for (const related of article.related) {
      if (!ids.has(related)) throw new StartupError(`knowledge article ${article.id}: related article "${related}" does not exist`);
    }
  }
  return articles;
}
