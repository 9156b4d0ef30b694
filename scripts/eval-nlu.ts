/*
 * `npm run eval`: trains the NLU from intents/ exactly as the service does, scores it on the
 * held-out set in tests/data/nlu-heldout (never trained on), writes reports/nlu-eval.{md,json},
 * and exits 1 when a floor is missed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { labelledTexts, loadIntentFiles } from '../src/content/intent-files';
import { evaluate, type EvaluationReport } from '../src/nlu/evaluation';
import { loadBrain } from '../src/service';

/** Floors from issue #2: accuracy on the held-out set per language. */
const ACCURACY_FLOOR: Record<string, number> = { de: 0.9, en: 0.9 };
const DEFAULT_FLOOR = 0.85;

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);

function markdown(report: EvaluationReport, overlap: number): string {
  const rows = Object.entries(report.perLanguage).map(
    ([l, r]) => `| ${l} | ${r.examples} | ${pct(r.intentAccuracy)} | ${pct(r.macroF1)} | ${pct(r.outOfScopeRecall)} | ${pct(r.inScopeRejected)} | ${pct(r.languageDetectionAccuracy)} | ${pct(ACCURACY_FLOOR[l] ?? DEFAULT_FLOOR)} |`,
  );
  const o = report.overall;
  const intents = Object.entries(report.perIntent).map(([i, m]) => `| ${i} | ${m.support} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} |`);
  return [
    '# NLU evaluation on the held-out set',
    '',
    `Held-out messages: ${o.examples} (removed because they also occur in training: ${overlap}).`,
    '',
    '| language | messages | intent accuracy | macro-F1 | out-of-scope recall | in-scope rejected | language detection | floor |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    `| **all** | ${o.examples} | ${pct(o.intentAccuracy)} | ${pct(o.macroF1)} | ${pct(o.outOfScopeRecall)} | ${pct(o.inScopeRejected)} | ${pct(o.languageDetectionAccuracy)} | |`,
    '',
    '## Per intent',
    '',
    '| intent | support | precision | recall | F1 |',
    '|---|---|---|---|---|',
    ...intents,
    '',
    '## Most frequent confusions',
    '',
    '| expected | predicted | count |',
    '|---|---|---|',
    ...report.confusions.slice(0, 15).map((c) => `| ${c.expected} | ${c.predicted} | ${c.count} |`),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const brain = await loadBrain({ CONTENT_DIR: root, DEFAULT_LANGUAGE: 'de' });
  const training = new Set(labelledTexts(loadIntentFiles(path.join(root, 'intents'), brain.codes)).map((e) => e.text.trim().toLowerCase()));
  const heldOut = labelledTexts(loadIntentFiles(path.join(root, 'tests', 'data', 'nlu-heldout'), brain.codes));
  const unseen = heldOut.filter((e) => !training.has(e.text.trim().toLowerCase()));
  const report = evaluate(brain.nlu, unseen);

  const dir = path.join(root, 'reports');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'nlu-eval.json'), JSON.stringify(report, null, 2));
  const md = markdown(report, heldOut.length - unseen.length);
  fs.writeFileSync(path.join(dir, 'nlu-eval.md'), md);
  console.log(md.split('## Per intent')[0]);

  const missed = Object.entries(report.perLanguage).filter(([l, r]) => r.intentAccuracy < (ACCURACY_FLOOR[l] ?? DEFAULT_FLOOR));
  if (missed.length) {
    console.error(`Accuracy floor missed for: ${missed.map(([l, r]) => `${l} ${pct(r.intentAccuracy)}`).join(', ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
