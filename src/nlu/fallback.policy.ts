import { OUT_OF_SCOPE } from '../content/intent-files';
import type { IntentPrediction, IntentScore } from './classifier/intent.classifier';

/**
 * When the service must say "I don't understand" instead of answering. A wrong confident answer
 * about residence or recognition hurts people; a fallback with a way to a human does not. Several
 * signals, like Rasa's FallbackClassifier: the out-of-scope class itself, a confidence threshold,
 * an ambiguity margin between the two best intents, and a domain-vocabulary check.
 * The constants are checked by `npm run eval` on data training never sees.
 */
export interface FallbackPolicy {
  /** Below this probability the best intent is not trusted. */
  confidenceThreshold: number;
  /** Two intents this close are a coin toss … */
  ambiguityMargin: number;
  /** … unless the best one is at least this likely. */
  ambiguityCeiling: number;
  /** Messages of this many words or more with no known in-scope word are out of scope. */
  minWordsForVocabularyCheck: number;
}

/**
 * The service's settings, chosen by `npm run calibrate` on 5 validation folds of intents/ (never on
 * the held-out set), by its fixed rule: at most 3 % of in-scope phrases rejected, best accuracy, then
 * highest out-of-scope recall. On 2026-11-30 (17,754 phrases, feature dropout 0.5) the rule chose
 * threshold 0.2, no ambiguity margin and the vocabulary check from 3 words — validation accuracy
 * 90.2 %, in-scope rejected 1.3 %, out-of-scope recall 76.4 %. (On 14,350 phrases it had preferred
 * no vocabulary check by 0.1 point; without it keyboard mashing such as "asdf qwer zxcv" got an
 * answer.) The out-of-scope class does most of the rejecting. On 18,528 phrases (later on 2026-11-30, with
 * place statements) the rule prefers the check from 2 words by 0.2 points of out-of-scope recall at equal
 * accuracy (90.2 %); not adopted yet, because it was not re-checked end to end before that stop.
 */
export const FALLBACK_POLICY: Readonly<FallbackPolicy> = {
  confidenceThreshold: 0.2,
  ambiguityMargin: 0,
  ambiguityCeiling: 0.5,
  minWordsForVocabularyCheck: 3,
};

/** `short_reply`: only a yes, a no or "I don't know" (locales/<lng>/language.json), with no question to answer. */
export type FallbackReason = 'out_of_scope_class' | 'low_confidence' | 'ambiguous' | 'outside_domain' | 'short_reply';

export interface IntentDecision {
  intent: IntentScore;
  /** Set when the decision is out_of_scope; says which signal decided. */
  fallbackReason?: FallbackReason;
}

export function decideIntent(prediction: IntentPrediction, wordCount: number, policy: Readonly<FallbackPolicy> = FALLBACK_POLICY): IntentDecision {
  const [best, second] = prediction.ranking;
  const outOfScope = (reason: FallbackReason): IntentDecision => ({
    intent: { name: OUT_OF_SCOPE, confidence: best.name === OUT_OF_SCOPE ? best.confidence : 1 - best.confidence },
    fallbackReason: reason,
  });
  if (best.name === OUT_OF_SCOPE) return outOfScope('out_of_scope_class');
  if (best.confidence < policy.confidenceThreshold) return outOfScope('low_confidence');
  if (second && best.confidence < policy.ambiguityCeiling && best.confidence - second.confidence < policy.ambiguityMargin) {
    return outOfScope('ambiguous');
  }
  if (wordCount >= policy.minWordsForVocabularyCheck && prediction.domainCoverage === 0) return outOfScope('outside_domain');
  return { intent: best };
}
