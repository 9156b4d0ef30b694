import type { LabelledText } from '../content/intent-files';
import { OUT_OF_SCOPE } from '../content/intent-files';
import type { NluService } from './nlu.service';

export interface IntentMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface LanguageReport {
  examples: number;
  intentAccuracy: number;
  macroF1: number;
  languageDetectionAccuracy: number;
  /** Language detection on messages of four or more words (shorter ones follow the session's language). */
  languageDetectionLongAccuracy: number | null;
  outOfScopeRecall: number | null;
  /** Share of in-scope messages the fallback wrongly rejected. */
  inScopeRejected: number;
}

export interface EvaluationReport {
  overall: LanguageReport;
  perLanguage: Record<string, LanguageReport>;
  perIntent: Record<string, IntentMetrics>;
  confusions: { expected: string; predicted: string; count: number }[];
  errors: { language: string; text: string; expected: string; predicted: string; confidence: number }[];
}

/** What the NLU said about one labelled message. */
export interface Outcome {
  example: LabelledText;
  predicted: string;
  confidence: number;
  detected: string;
}

/** Scores the NLU on labelled messages it was not trained on, without any session context. */
export function evaluate(nlu: NluService, examples: LabelledText[]): EvaluationReport {
  const outcomes: Outcome[] = examples.map((example) => {
    const result = nlu.analyse(example.text, { language: null, chosen: false });
    return { example, predicted: result.intent.name, confidence: result.intent.confidence, detected: result.detected.language };
  });
  const languages = [...new Set(examples.map((e) => e.language))].sort();
  const perLanguage = Object.fromEntries(languages.map((l) => [l, summarise(outcomes.filter((o) => o.example.language === l))]));
  const confusionCounts = new Map<string, number>();
  for (const o of outcomes) {
    if (o.predicted === o.example.intent) continue;
    const key = `${o.example.intent}→${o.predicted}`;
    confusionCounts.set(key, (confusionCounts.get(key) ?? 0) + 1);
  }
  return {
    overall: summarise(outcomes),
    perLanguage,
    perIntent: perIntentMetrics(outcomes),
    confusions: [...confusionCounts]
      .map(([key, count]) => {
        const [expected, predicted] = key.split('→');
        return { expected, predicted, count };
      })
      .sort((a, b) => b.count - a.count),
    errors: outcomes
      .filter((o) => o.predicted !== o.example.intent)
      .map((o) => ({ language: o.example.language, text: o.example.text, expected: o.example.intent, predicted: o.predicted, confidence: o.confidence })),
  };
}

/** Accuracy, macro-F1, out-of-scope recall, in-scope rejections and language detection of some outcomes. */
export function summarise(outcomes: Outcome[]): LanguageReport {
  const n = outcomes.length || 1;
  const oos = outcomes.filter((o) => o.example.intent === OUT_OF_SCOPE);
  const inScope = outcomes.filter((o) => o.example.intent !== OUT_OF_SCOPE);
  const metrics = perIntentMetrics(outcomes);
  const long = outcomes.filter((o) => o.example.text.trim().split(/\s+/u).length >= 4);
  const f1s = Object.values(metrics).filter((m) => m.support > 0).map((m) => m.f1);
  return {
    examples: outcomes.length,
    intentAccuracy: outcomes.filter((o) => o.predicted === o.example.intent).length / n,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    languageDetectionAccuracy: outcomes.filter((o) => o.detected === o.example.language).length / n,
    languageDetectionLongAccuracy: long.length ? long.filter((o) => o.detected === o.example.language).length / long.length : null,
    outOfScopeRecall: oos.length ? oos.filter((o) => o.predicted === OUT_OF_SCOPE).length / oos.length : null,
    inScopeRejected: inScope.length ? inScope.filter((o) => o.predicted === OUT_OF_SCOPE).length / inScope.length : 0,
  };
}

function perIntentMetrics(outcomes: Outcome[]): Record<string, IntentMetrics> {
  const intents = new Set([...outcomes.map((o) => o.example.intent), ...outcomes.map((o) => o.predicted)]);
  const out: Record<string, IntentMetrics> = {};
  for (const intent of [...intents].sort()) {
    const tp = outcomes.filter((o) => o.example.intent === intent && o.predicted === intent).length;
    const fp = outcomes.filter((o) => o.example.intent !== intent && o.predicted === intent).length;
    const fn = outcomes.filter((o) => o.example.intent === intent && o.predicted !== intent).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    out[intent] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support: tp + fn };
  }
  return out;
}
