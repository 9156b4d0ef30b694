/*
 * `npm run calibrate`: chooses the fallback policy (src/nlu/fallback.policy.ts) on validation folds of
 * the training phrases — never on the held-out set. The NLU is trained k times on k−1 folds; every
 * left-out phrase is classified once, then each policy of a grid decides on those same predictions.
 * Reports accuracy, out-of-scope recall and in-scope rejections per policy, and the choice by a rule
 * fixed in advance: among policies that reject at most 3 % of in-scope phrases (issue #6), those
 * within 0.1 points of the best accuracy; of these the one with the highest out-of-scope recall,
 * because a wrong confident answer hurts more than "I don't know, here is a person".
 */
import path from 'node:path';
import type { LabelledText } from '../src/content/intent-files';
import { stratifiedFolds } from '../src/nlu/cross-validation';
import { summarise } from '../src/nlu/evaluation';
import { decideIntent, FALLBACK_POLICY, type FallbackPolicy } from '../src/nlu/fallback.policy';
import { NluService, type RawPrediction } from '../src/nlu/nlu.service';
import { loadBrain } from '../src/service';

const FOLDS = 5;
const MIN_OOS_RECALL = 0.85;
const MAX_IN_SCOPE_REJECTED = 0.03;
const ACCURACY_TIE = 0.001;

async function main(): Promise<void> {
  const brain = await loadBrain({ CONTENT_DIR: path.resolve(__dirname, '..'), DEFAULT_LANGUAGE: 'de' });
  const folds = stratifiedFolds(brain.nluInput.examples, FOLDS);
  const predictions: Array<{ example: LabelledText; raw: RawPrediction }> = [];
  folds.forEach((held, i) => {
    const nlu = NluService.train({ ...brain.nluInput, examples: folds.flatMap((fold, j) => (j === i ? [] : fold)) });
    for (const example of held) predictions.push({ example, raw: nlu.classify(example.text, example.language) });
  });

  const grid: FallbackPolicy[] = [];
  for (const confidenceThreshold of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]) {
    for (const ambiguityMargin of [0, 0.02, 0.05, 0.08]) {
      for (const minWordsForVocabularyCheck of [1, 2, 3, 4, 100]) grid.push({ ...FALLBACK_POLICY, confidenceThreshold, ambiguityMargin, minWordsForVocabularyCheck });
    }
  }
  const scored = grid.map((policy) => {
    // The language is given (it is not what is being chosen here), so detection counts as right.
    const report = summarise(
      predictions.map(({ example, raw }) => {
        const decision = decideIntent(raw.prediction, raw.wordCount, policy).intent;
        return { example, predicted: decision.name, confidence: decision.confidence, detected: example.language };
      }),
    );
    return { policy, accuracy: report.intentAccuracy, oosRecall: report.outOfScopeRecall ?? 0, inScopeRejected: report.inScopeRejected };
  });
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const line = (s: (typeof scored)[number]) =>
    `threshold ${s.policy.confidenceThreshold}  margin ${s.policy.ambiguityMargin}  vocabulary check from ${s.policy.minWordsForVocabularyCheck} words  → accuracy ${pct(s.accuracy)}, out-of-scope recall ${pct(s.oosRecall)}, in-scope rejected ${pct(s.inScopeRejected)}`;
  const current = scored.find((s) => JSON.stringify(s.policy) === JSON.stringify({ ...FALLBACK_POLICY }));
  console.log(`${FOLDS}-fold validation on intents/, ${predictions.length} phrases, ${grid.length} policies`);
  if (current) console.log(`current  ${line(current)}`);
  const byAccuracy = (a: (typeof scored)[number], b: (typeof scored)[number]) => b.accuracy - a.accuracy || a.inScopeRejected - b.inScopeRejected;
  const eligible = scored.filter((s) => s.oosRecall >= MIN_OOS_RECALL).sort(byAccuracy);
  console.log(eligible.length ? 'best with out-of-scope recall ≥ 85 %:' : 'no policy reaches out-of-scope recall ≥ 85 % on the folds; best by accuracy:');
  for (const s of (eligible.length ? eligible : [...scored].sort(byAccuracy)).slice(0, 8)) console.log(`  ${line(s)}`);
  const admissible = scored.filter((s) => s.inScopeRejected <= MAX_IN_SCOPE_REJECTED);
  const best = Math.max(...admissible.map((s) => s.accuracy));
  const chosen = admissible.filter((s) => s.accuracy >= best - ACCURACY_TIE).sort((a, b) => b.oosRecall - a.oosRecall || a.inScopeRejected - b.inScopeRejected)[0];
  if (chosen) console.log(`chosen by the rule (src/nlu/fallback.policy.ts should say this): ${line(chosen)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
