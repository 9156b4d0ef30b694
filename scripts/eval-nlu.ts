/*
 * `npm run eval` (the bar: Rasa's `rasa test nlu`): trains the NLU from intents/ exactly as the
 * service does and
 *   1. scores it on the held-out set in tests/data/nlu-heldout (never trained on, never tuned on):
 *      accuracy, macro-F1, per-intent precision/recall/F1, the most frequent confusions,
 *      out-of-scope recall, in-scope messages wrongly rejected, language detection (all messages
 *      and those of ≥ 4 words), per language and overall;
 *   2. runs stratified k-fold cross-validation on intents/ (same pipeline, k trainings).
 * Writes reports/nlu-eval.md, reports/nlu-eval.json and reports/nlu-confusion.html (a confusion
 * matrix to look at), and exits 1 when a floor in tests/data/nlu-floors.json is missed.
 * `--no-cv` skips the cross-validation (quicker while editing content).
 */
import fs from 'node:fs';
import path from 'node:path';
import { labelledTexts, loadIntentFiles } from '../src/content/intent-files';
import { crossValidate, type CrossValidationReport } from '../src/nlu/cross-validation';
import { evaluate, type EvaluationReport, type LanguageReport } from '../src/nlu/evaluation';
import { loadBrain } from '../src/service';

interface Thresholds {
  overallAccuracy: number;
  languageAccuracy: Record<string, number> & { default: number };
  outOfScopeRecall: number;
  inScopeRejectedMax: number;
  languageDetectionLong: number;
}

const ROOT = path.resolve(__dirname, '..');
const FOLDS = 5;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)} %`);
const accuracyFloor = (t: Thresholds, language: string) => t.languageAccuracy[language] ?? t.languageAccuracy.default;

/** Every threshold a report misses, as readable lines (empty when all hold). */
function misses(report: EvaluationReport, t: Thresholds): string[] {
  const out: string[] = [];
  const o = report.overall;
  if (o.intentAccuracy < t.overallAccuracy) out.push(`overall accuracy ${pct(o.intentAccuracy)} < ${pct(t.overallAccuracy)}`);
  for (const [language, r] of Object.entries(report.perLanguage)) {
    if (r.intentAccuracy < accuracyFloor(t, language)) out.push(`${language} accuracy ${pct(r.intentAccuracy)} < ${pct(accuracyFloor(t, language))}`);
  }
  if ((o.outOfScopeRecall ?? 1) < t.outOfScopeRecall) out.push(`out-of-scope recall ${pct(o.outOfScopeRecall)} < ${pct(t.outOfScopeRecall)}`);
  if (o.inScopeRejected > t.inScopeRejectedMax) out.push(`in-scope rejected ${pct(o.inScopeRejected)} > ${pct(t.inScopeRejectedMax)}`);
  if ((o.languageDetectionLongAccuracy ?? 1) < t.languageDetectionLong) out.push(`language detection (≥ 4 words) ${pct(o.languageDetectionLongAccuracy)} < ${pct(t.languageDetectionLong)}`);
  return out;
}

function languageRow(name: string, r: LanguageReport, floor: string): string {
  return `| ${name} | ${r.examples} | ${pct(r.intentAccuracy)} | ${pct(r.macroF1)} | ${pct(r.outOfScopeRecall)} | ${pct(r.inScopeRejected)} | ${pct(r.languageDetectionAccuracy)} | ${pct(r.languageDetectionLongAccuracy)} | ${floor} |`;
}

function markdown(report: EvaluationReport, cv: CrossValidationReport | null, overlap: number, floors: Thresholds, targets: Thresholds): string {
  const o = report.overall;
  const cvRows = cv
    ? Object.keys(cv.accuracy).map((key) => `| ${key} | ${pct(cv.accuracy[key].mean)} ± ${pct(cv.accuracy[key].sd)} | ${pct(cv.macroF1[key].mean)} ± ${pct(cv.macroF1[key].sd)} |`)
    : [];
  return [
    '# NLU evaluation',
    '',
    `## Held-out set (tests/data/nlu-heldout, ${o.examples} messages; ${overlap} removed because they also occur in training)`,
    '',
    '| language | messages | intent accuracy | macro-F1 | out-of-scope recall | in-scope rejected | language detection | language detection (≥ 4 words) | floor / target |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(report.perLanguage).map(([l, r]) => languageRow(l, r, `${pct(accuracyFloor(floors, l))} / ${pct(accuracyFloor(targets, l))}`)),
    languageRow('**all**', o, `${pct(floors.overallAccuracy)} / ${pct(targets.overallAccuracy)}`),
    '',
    `Out-of-scope recall floor ${pct(floors.outOfScopeRecall)}, in-scope rejected at most ${pct(floors.inScopeRejectedMax)} (target ${pct(targets.inScopeRejectedMax)}), language detection on ≥ 4 words at least ${pct(floors.languageDetectionLong)}.`,
    '',
    ...(cv ? [`## ${cv.k}-fold stratified cross-validation on intents/ (mean ± sd over the folds)`, '', '| language | accuracy | macro-F1 |', '|---|---|---|', ...cvRows, ''] : []),
    ...(cv
      ? [
          '### Most frequent confusions (cross-validation, all folds)',
          '',
          'Where training phrases are missing. People who write training phrases read this list, never the held-out messages or their confusions.',
          '',
          '| expected | predicted | count |',
          '|---|---|---|',
          ...cv.confusions.slice(0, 25).map((c) => `| ${c.expected} | ${c.predicted} | ${c.count} |`),
          '',
        ]
      : []),
    '## Per intent (held-out)',
    '',
    '| intent | support | precision | recall | F1 |',
    '|---|---|---|---|---|',
    ...Object.entries(report.perIntent).map(([i, m]) => `| ${i} | ${m.support} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} |`),
    '',
    '## Most frequent confusions (held-out)',
    '',
    '| expected | predicted | count |',
    '|---|---|---|',
    ...report.confusions.slice(0, 20).map((c) => `| ${c.expected} | ${c.predicted} | ${c.count} |`),
    '',
    'The full confusion matrix: `reports/nlu-confusion.html`.',
    '',
  ].join('\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A static page: rows are the expected intents, columns the predicted ones; darker = more messages. */
function confusionHtml(report: EvaluationReport): string {
  const intents = Object.keys(report.perIntent);
  const counts = new Map<string, number>();
  for (const c of report.confusions) counts.set(`${c.expected}\u0000${c.predicted}`, c.count);
  const maxError = Math.max(1, ...report.confusions.map((c) => c.count));
  const cell = (expected: string, predicted: string) => {
    if (expected === predicted) {
      const m = report.perIntent[expected];
      const correct = Math.round(m.recall * m.support);
      return `<td class="hit" title="${escapeHtml(expected)}: ${correct} of ${m.support} right">${correct}</td>`;
    }
    const n = counts.get(`${expected}\u0000${predicted}`) ?? 0;
    const shade = n ? Math.round(20 + 70 * (n / maxError)) : 0;
    return n
      ? `<td style="background:hsl(0 80% ${100 - shade / 2}%)" title="${escapeHtml(expected)} taken for ${escapeHtml(predicted)}: ${n}">${n}</td>`
      : '<td></td>';
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NLU confusion matrix</title>
<style>
body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 5px;text-align:center;min-width:1.6em}
th.col{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}th.row{text-align:right;white-space:nowrap}td.hit{background:#d7f0d7;font-weight:bold}
</style></head><body>
<h1>NLU confusion matrix (held-out set, ${report.overall.examples} messages, accuracy ${pct(report.overall.intentAccuracy)})</h1>
<p>Rows: the intent a message has. Columns: what the NLU said. The diagonal (green) counts right answers; red cells are mistakes, darker for more.</p>
<table><thead><tr><th></th>${intents.map((i) => `<th class="col" scope="col">${escapeHtml(i)}</th>`).join('')}</tr></thead>
<tbody>${intents.map((e) => `<tr><th class="row" scope="row">${escapeHtml(e)}</th>${intents.map((p) => cell(e, p)).join('')}</tr>`).join('\n')}</tbody></table>
</body></html>
`;
}

async function main(): Promise<void> {
  const withCv = !process.argv.includes('--no-cv');
  const { floors, targets } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'data', 'nlu-floors.json'), 'utf8')) as { floors: Thresholds; targets: Thresholds };
  const brain = await loadBrain({ CONTENT_DIR: ROOT, DEFAULT_LANGUAGE: 'de' });
  const training = new Set(brain.nluInput.examples.map((e) => e.text.trim().toLowerCase()));
  const heldOut = labelledTexts(loadIntentFiles(path.join(ROOT, 'tests', 'data', 'nlu-heldout'), brain.codes));
  const unseen = heldOut.filter((e) => !training.has(e.text.trim().toLowerCase()));
  const report = evaluate(brain.nlu, unseen);
  const cv = withCv ? crossValidate(brain.nluInput, FOLDS) : null;

  const dir = path.join(ROOT, 'reports');
  fs.mkdirSync(dir, { recursive: true });
  const failed = misses(report, floors);
  const open = misses(report, targets);
  fs.writeFileSync(
    path.join(dir, 'nlu-eval.json'),
    JSON.stringify({ heldOut: report, crossValidation: cv && { k: cv.k, accuracy: cv.accuracy, macroF1: cv.macroF1, confusions: cv.confusions }, floors, targets, floorsMissed: failed, targetsMissed: open }, null, 2),
  );
  const md = markdown(report, cv, heldOut.length - unseen.length, floors, targets);
  fs.writeFileSync(path.join(dir, 'nlu-eval.md'), md);
  fs.writeFileSync(path.join(dir, 'nlu-confusion.html'), confusionHtml(report));
  console.log(md.split('## Per intent')[0]);
  if (open.length) console.log(`Targets not met yet: ${open.join('; ')}`);
  if (failed.length) {
    console.error(`Floors missed: ${failed.join('; ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
