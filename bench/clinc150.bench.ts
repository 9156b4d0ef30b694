/*
 * `npm run bench:clinc`: the product's NLU on a public benchmark, CLINC150 (Larson et al., EMNLP
 * 2019; data and licence in bench/data/clinc150/). English only, 150 intents in 10 domains plus
 * out-of-scope queries.
 *
 * Protocol (bench/data/clinc150/SOURCE.md):
 * - train exactly as the service does (NluService.train: tokenising, stemming, features,
 *   softmax regression, same training options), on `train` plus `oos_train` as the out_of_scope
 *   class, which is how intents/out_of_scope.yaml teaches the product;
 * - choose the fallback policy (confidence threshold, ambiguity margin) on `val` + `oos_val` only,
 *   by the rule below, fixed before the test set is read;
 * - report on `test` (4,500) + `oos_test` (1,000): in-scope accuracy (a query rejected as out of
 *   scope counts wrong) and out-of-scope recall, with the product's own fallback policy and with
 *   the validation-chosen one, next to the paper's published results.
 * Prints a Markdown table and writes bench/results/clinc150.json.
 *
 * `--validation-only` stops before the test set (for trying changes without looking at it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { OUT_OF_SCOPE, type LabelledText } from '../src/content/intent-files';
import { loadLanguages } from '../src/i18n/languages';
import { decideIntent, FALLBACK_POLICY, type FallbackPolicy } from '../src/nlu/fallback.policy';
import { NluService, type RawPrediction } from '../src/nlu/nlu.service';
import { percentile } from './percentile';

const root = path.resolve(__dirname, '..');
const DATA = path.join(root, 'bench', 'data', 'clinc150', 'data_full.json');
const RESULT = path.join(root, 'bench', 'results', 'clinc150.json');
const LATENCY_PASSES = 3;

/** Paper, Table 2, "Full" condition: in-scope accuracy / out-of-scope recall in %. */
const PUBLISHED: { method: string; classifier: string; inScope: number; oosRecall: number }[] = [
  { method: 'oos-train', classifier: 'FastText', inScope: 89.0, oosRecall: 9.7 },
  { method: 'oos-train', classifier: 'SVM', inScope: 91.0, oosRecall: 14.5 },
  { method: 'oos-train', classifier: 'CNN', inScope: 91.2, oosRecall: 18.9 },
  { method: 'oos-train', classifier: 'DialogFlow', inScope: 91.7, oosRecall: 14.0 },
  { method: 'oos-train', classifier: 'Rasa', inScope: 91.5, oosRecall: 45.3 },
  { method: 'oos-train', classifier: 'MLP', inScope: 93.5, oosRecall: 47.4 },
  { method: 'oos-train', classifier: 'BERT', inScope: 96.9, oosRecall: 40.3 },
  { method: 'oos-threshold', classifier: 'SVM', inScope: 88.2, oosRecall: 18.0 },
  { method: 'oos-threshold', classifier: 'FastText', inScope: 88.6, oosRecall: 28.3 },
  { method: 'oos-threshold', classifier: 'DialogFlow', inScope: 90.8, oosRecall: 26.7 },
  { method: 'oos-threshold', classifier: 'Rasa', inScope: 90.9, oosRecall: 31.2 },
  { method: 'oos-threshold', classifier: 'CNN', inScope: 90.9, oosRecall: 30.9 },
  { method: 'oos-threshold', classifier: 'MLP', inScope: 93.4, oosRecall: 49.1 },
  { method: 'oos-threshold', classifier: 'BERT', inScope: 96.2, oosRecall: 52.3 },
];

type Row = [text: string, intent: string];
interface ClincData {
  train: Row[];
  val: Row[];
  test: Row[];
  oos_train: Row[];
  oos_val: Row[];
  oos_test: Row[];
}

interface Scores {
  inScopeAccuracy: number;
  outOfScopeRecall: number;
}

const LANGUAGE = 'en';
const toExamples = (rows: Row[]): LabelledText[] =>
  rows.map(([text, intent]) => ({ text, intent: intent === 'oos' ? OUT_OF_SCOPE : intent, language: LANGUAGE }));

/**
 * The selection rule, fixed before the test set was read: the policy that decides the most
 * validation queries (val + oos_val, 3,100) correctly; ties go to the higher in-scope accuracy.
 */
function choosePolicy(inScope: RawPrediction[], inScopeIntents: string[], outOfScope: RawPrediction[]): { policy: FallbackPolicy; validation: Scores } {
  let best: { policy: FallbackPolicy; validation: Scores; correct: number } | undefined;
  for (const policy of policyGrid()) {
    const validation = score(inScope, inScopeIntents, outOfScope, policy);
    const correct = Math.round(validation.inScopeAccuracy * inScope.length + validation.outOfScopeRecall * outOfScope.length);
    if (!best || correct > best.correct || (correct === best.correct && validation.inScopeAccuracy > best.validation.inScopeAccuracy)) best = { policy, validation, correct };
  }
  return { policy: best!.policy, validation: best!.validation };
}

function* policyGrid(): Generator<FallbackPolicy> {
  for (let t = 0; t <= 90; t++) {
    for (const ambiguityMargin of [0, 0.02, 0.05, 0.1, 0.15, 0.2]) {
      for (const ambiguityCeiling of [0.3, 0.5, 0.7]) {
        yield { ...FALLBACK_POLICY, confidenceThreshold: t / 100, ambiguityMargin, ambiguityCeiling };
      }
    }
  }
}

function score(inScope: RawPrediction[], intents: string[], outOfScope: RawPrediction[], policy: FallbackPolicy): Scores {
  const decide = (p: RawPrediction) => decideIntent(p.prediction, p.wordCount, policy).intent.name;
  return {
    inScopeAccuracy: inScope.filter((p, i) => decide(p) === intents[i]).length / inScope.length,
    outOfScopeRecall: outOfScope.filter((p) => decide(p) === OUT_OF_SCOPE).length / outOfScope.length,
  };
}

function testScores(nlu: NluService, inScope: LabelledText[], outOfScope: LabelledText[]): Scores {
  const predict = (e: LabelledText) => nlu.analyse(e.text, { language: null, chosen: false }).intent.name;
  return {
    inScopeAccuracy: inScope.filter((e) => predict(e) === e.intent).length / inScope.length,
    outOfScopeRecall: outOfScope.filter((e) => predict(e) === OUT_OF_SCOPE).length / outOfScope.length,
  };
}

function latency(nlu: NluService, messages: LabelledText[]): { p50Us: number; p99Us: number } {
  const session = { language: null, chosen: false };
  for (const m of messages) nlu.analyse(m.text, session); // warm-up, as in a running service
  const timings: number[] = [];
  for (let pass = 0; pass < LATENCY_PASSES; pass++) {
    for (const m of messages) {
      const start = process.hrtime.bigint();
      nlu.analyse(m.text, session);
      timings.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  timings.sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(timings, p));
  return { p50Us: at(50), p99Us: at(99) };
}

const pct = (x: number) => (100 * x).toFixed(1);

function main(): void {
  const validationOnly = process.argv.includes('--validation-only');
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8')) as ClincData;
  const languages = loadLanguages(path.join(root, 'locales')).filter((l) => l.code === LANGUAGE);

  const t0 = process.hrtime.bigint();
  const nlu = NluService.train({ languages, defaultLanguage: LANGUAGE, examples: toExamples([...data.train, ...data.oos_train]), dictionaries: [] });
  const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`trained on ${data.train.length + data.oos_train.length} examples in ${(trainMs / 1000).toFixed(1)} s`);

  const val = toExamples(data.val);
  const classify = (e: LabelledText) => nlu.classify(e.text);
  const valRaw = val.map(classify);
  const oosValRaw = toExamples(data.oos_val).map(classify);
  const productOnValidation = score(valRaw, val.map((e) => e.intent), oosValRaw, FALLBACK_POLICY);
  const chosen = choosePolicy(valRaw, val.map((e) => e.intent), oosValRaw);
  const top1 = valRaw.filter((p, i) => p.prediction.ranking.find((r) => r.name !== OUT_OF_SCOPE)?.name === val[i].intent).length / val.length;
  console.log(`validation: in-scope top-1 (ignoring out_of_scope) ${pct(top1)} %`);
  console.log(`validation, product policy: in-scope ${pct(productOnValidation.inScopeAccuracy)} %, oos recall ${pct(productOnValidation.outOfScopeRecall)} %`);
  console.log(
    `validation, chosen policy ${JSON.stringify(chosen.policy)}: in-scope ${pct(chosen.validation.inScopeAccuracy)} %, oos recall ${pct(chosen.validation.outOfScopeRecall)} %`,
  );
  if (validationOnly) return;

  const test = toExamples(data.test);
  const oosTest = toExamples(data.oos_test);
  const productPolicy = testScores(nlu, test, oosTest);
  const tuned = nlu.withFallbackPolicy(chosen.policy);
  const chosenPolicy = testScores(tuned, test, oosTest);
  const timing = latency(tuned, [...test, ...oosTest]);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    dataset: 'CLINC150 data_full.json (github.com/clinc/oos-eval, CC BY 3.0)',
    examples: { train: data.train.length, oosTrain: data.oos_train.length, val: data.val.length, oosVal: data.oos_val.length, test: test.length, oosTest: oosTest.length },
    trainingMs: Math.round(trainMs),
    latency: { ...timing, passes: LATENCY_PASSES, note: 'NluService.analyse per message, in-process, after warm-up' },
    productPolicy: { policy: FALLBACK_POLICY, validation: productOnValidation, test: productPolicy },
    validationChosenPolicy: { rule: 'most correct decisions on val + oos_val', policy: chosen.policy, validation: chosen.validation, test: chosenPolicy },
    published: PUBLISHED,
  };
  fs.mkdirSync(path.dirname(RESULT), { recursive: true });
  fs.writeFileSync(RESULT, JSON.stringify(result, null, 2) + '\n');

  const lines = [
    '| system | in-scope accuracy | out-of-scope recall |',
    '|---|---|---|',
    `| **ours, fallback policy chosen on val** | **${pct(chosenPolicy.inScopeAccuracy)}** | **${pct(chosenPolicy.outOfScopeRecall)}** |`,
    `| ours, product fallback policy as is | ${pct(productPolicy.inScopeAccuracy)} | ${pct(productPolicy.outOfScopeRecall)} |`,
    ...PUBLISHED.map((p) => `| ${p.classifier} (${p.method}, paper) | ${p.inScope.toFixed(1)} | ${p.oosRecall.toFixed(1)} |`),
    '',
    `Training: ${(trainMs / 1000).toFixed(1)} s on ${data.train.length + data.oos_train.length} examples. ` +
      `Latency per message (NluService.analyse): p50 ${timing.p50Us} µs, p99 ${timing.p99Us} µs. Node ${process.version}.`,
  ];
  console.log(lines.join('\n'));
}

main();
