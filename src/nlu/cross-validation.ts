import type { LabelledText } from '../content/intent-files';
import { mulberry32 } from './classifier/softmax-regression';
import { evaluate, type EvaluationReport } from './evaluation';
import { NluService, type NluTrainingInput } from './nlu.service';

/**
 * Stratified k-fold split: every (intent, language) group is shuffled with a fixed seed and dealt
 * round the folds, so each fold has about the same share of every intent in every language.
 */
export function stratifiedFolds(examples: readonly LabelledText[], k: number, seed = 1): LabelledText[][] {
  const groups = new Map<string, LabelledText[]>();
  for (const example of examples) {
    const key = `${example.intent}\u0000${example.language}`;
    groups.set(key, [...(groups.get(key) ?? []), example]);
  }
  const random = mulberry32(seed);
  const folds: LabelledText[][] = Array.from({ length: k }, () => []);
  let offset = 0;
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j], group[i]];
    }
    // The offset carries over between groups, so small groups do not all fill fold 0 first.
    for (const example of group) folds[offset++ % k].push(example);
  }
  return folds;
}

export interface CrossValidationReport {
  k: number;
  folds: EvaluationReport[];
  /** Mean and standard deviation over the folds, overall and per language. */
  accuracy: Record<string, { mean: number; sd: number }>;
  macroF1: Record<string, { mean: number; sd: number }>;
  /** Confusions summed over the folds, most frequent first: where training phrases are missing. Unlike the held-out confusions, people writing training phrases may read these. */
  confusions: { expected: string; predicted: string; count: number }[];
}

/** Trains the same pipeline k times on k−1 folds of `input.examples` and scores it on the fold left out. */
export function crossValidate(input: NluTrainingInput, k = 5, seed = 1): CrossValidationReport {
  const folds = stratifiedFolds(input.examples, k, seed);
  const reports = folds.map((test, i) => {
    const train = folds.flatMap((fold, j) => (j === i ? [] : fold));
    return evaluate(NluService.train({ ...input, examples: train }), test);
  });
  const keys = ['all', ...Object.keys(reports[0]?.perLanguage ?? {})];
  const pick = (metric: 'intentAccuracy' | 'macroF1') =>
    Object.fromEntries(keys.map((key) => [key, meanSd(reports.map((r) => (key === 'all' ? r.overall : r.perLanguage[key])?.[metric] ?? 0))]));
  return { k, folds: reports, accuracy: pick('intentAccuracy'), macroF1: pick('macroF1'), confusions: sumConfusions(reports) };
}

function sumConfusions(reports: EvaluationReport[]): CrossValidationReport['confusions'] {
  const counts = new Map<string, { expected: string; predicted: string; count: number }>();
  for (const { expected, predicted, count } of reports.flatMap((r) => r.confusions)) {
    const key = `${expected}\u0000${predicted}`;
    const entry = counts.get(key) ?? { expected, predicted, count: 0 };
    entry.count += count;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length || 1);
  return { mean, sd: Math.sqrt(variance) };
}
