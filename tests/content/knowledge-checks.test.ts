import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkKnowledge, isWellFormedLink } from '../../src/content/knowledge-checks';
import { ROOT } from '../helpers/service';

/** A content root with the real locales and intents and the given knowledge files. */
function contentRoot(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-kb-'));
  fs.symlinkSync(path.join(ROOT, 'locales'), path.join(root, 'locales'));
  fs.symlinkSync(path.join(ROOT, 'intents'), path.join(root, 'intents'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

const article = (front: string, languages: string[], body = 'Text.\n\n**Nächster Schritt:** Fragen.') =>
  `---\nid: sample\nintents: [recognition.costs]\naudience: [migrant]\nlanguages: [${languages.join(', ')}]\n${front}---\n` +
  languages.map((lng) => `<!-- lang: ${lng} -->\n# Titel ${lng}\n${body}\n`).join('');

describe('knowledge base check (npm run kb:check)', () => {
  it('passes the knowledge base as it is today', () => {
    expect(checkKnowledge(ROOT, new Date('2026-11-30T12:00:00Z'))).toEqual([]);
  });

  it('reports every record whose review is overdue', () => {
    const problems = checkKnowledge(ROOT, new Date('2030-01-01T00:00:00Z'));
    expect(problems.some((p) => /knowledge\/articles\/recognition-costs\.md: last reviewed .* review due every 365 days/.test(p))).toBe(true);
    expect(problems.some((p) => /knowledge\/guides\/coaching-chain\.yaml: last reviewed/.test(p))).toBe(true);
    expect(problems.some((p) => /professions\.yaml: nurse: last reviewed/.test(p))).toBe(true);
    expect(problems.some((p) => /bodies\.yaml: hwk: last reviewed/.test(p))).toBe(true);
  });

  it('reports missing languages, malformed links and schema errors', () => {
    const sources = 'sources:\n  - { title: Kaputt, url: "https://intranet/x" }\n  - { title: Gut, url: "https://www.bamf.de/x" }\n';
    const root = contentRoot({
      'knowledge/articles/sample.md': article(`reviewed: 2026-11-01\n${sources}`, ['de', 'en'], 'Siehe [hier](htp:/kaputt).\n\n**Nächster Schritt:** Fragen.'),
    });
    const problems = checkKnowledge(root, new Date('2026-11-25T00:00:00Z'));
    expect(problems).toEqual(
      expect.arrayContaining([
        'knowledge/articles/sample.md: no fa section',
        'knowledge/articles/sample.md: malformed source link "https://intranet/x"',
        'knowledge/articles/sample.md (de): malformed link "htp:/kaputt"',
      ]),
    );
    const rootWithSchemaError = contentRoot({ 'knowledge/articles/broken.md': '---\nid: broken\n---\n<!-- lang: de -->\n# T\nx\n' });
    expect(checkKnowledge(rootWithSchemaError)[0]).toMatch(/^knowledge\/articles: .*broken\.md/);
  });

  it('reports an article entity that no dictionary knows', () => {
    const sources = 'sources:\n  - { title: BAMF, url: "https://www.bamf.de/x" }\n';
    const root = contentRoot({ 'knowledge/articles/sample.md': article(`reviewed: 2026-11-01\n${sources}entities: [residence_status:duldung, residence_status:nope]\n`, ['de', 'en', 'ar', 'uk', 'ru', 'fa']) });
    const problems = checkKnowledge(root, new Date('2026-11-25T00:00:00Z')).filter((p) => p.includes('entity'));
    expect(problems).toEqual(['knowledge/articles/sample.md: unknown entity residence_status:nope']);
  });

  it('refuses a false friend that is not one of the profession\'s names (it would silently do nothing)', () => {
    const profession = (falseFriends: string) =>
      `- id: cook\n  group: food\n  regulated: false\n  reviewed: 2026-11-01\n  sources:\n    - { title: IHK, url: "https://www.ihk.de/x" }\n  falseFriends: ${falseFriends}\n  names:\n    de: [Koch]\n    en: [cook, chef]\n`;
    const broken = checkKnowledge(contentRoot({ 'knowledge/data/professions.yaml': profession('{ de: [Chefin] }') }), new Date('2026-11-25T00:00:00Z'));
    expect(broken.join('\n')).toMatch(/cook: every false friend must be one of its names/);
    const fine = checkKnowledge(contentRoot({ 'knowledge/data/professions.yaml': profession('{ de: [Chef] }') }), new Date('2026-11-25T00:00:00Z'));
    expect(fine.join('\n')).not.toMatch(/false friend/);
  });

  it('accepts only links a person can open', () => {
    expect(isWellFormedLink('https://zab.kmk.org/de/reglementierte-berufe')).toBe(true);
    expect(isWellFormedLink('http://www.lifepr.de/x')).toBe(true);
    expect(isWellFormedLink('ftp://example.org/x')).toBe(false);
    expect(isWellFormedLink('https://localhost/x')).toBe(false);
    expect(isWellFormedLink('www.example.org')).toBe(false);
  });
});
