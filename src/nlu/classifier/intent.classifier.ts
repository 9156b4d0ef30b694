import { OUT_OF_SCOPE } from '../../content/intent-files';
import type { AnalysedToken } from '../text/analyser';
import { ConceptLexicon } from './concept-lexicon';
import { extractFeatures, FeatureSpace, type FeatureSpaceSnapshot } from './features';
import { DEFAULT_TRAINING, SoftmaxRegression, type SoftmaxSnapshot, type SparseVector, type TrainingOptions } from './softmax-regression';

export interface IntentClassifierSnapshot {
  space: FeatureSpaceSnapshot;
  model: SoftmaxSnapshot;
  intents: string[];
  inScopeStems: string[];
}

export interface IntentScore {
  name: string;
  confidence: number;
}

export interface IntentPrediction {
  /** All intents, most likely first. */
  ranking: IntentScore[];
  /** Share of the message's words whose stem occurs in in-scope training phrases. */
  domainCoverage: number;
}

export interface LabelledTokens {
  tokens: AnalysedToken[];
  intent: string;
}

/** One classifier for all languages: words of different languages rarely collide, and German terms mixed into other languages then help instead of confusing. */
export class IntentClassifier {
  private constructor(
    private readonly space: FeatureSpace,
    private readonly model: SoftmaxRegression,
    private readonly intents: string[],
    private readonly inScopeStems: Set<string>,
    readonly lexicon: ConceptLexicon,
  ) {}

  static train(examples: LabelledTokens[], options: Partial<TrainingOptions> = DEFAULT_TRAINING, lexicon = ConceptLexicon.empty()): IntentClassifier {
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    const featureMaps = examples.map((e) => extractFeatures(e.tokens, lexicon));
    const space = FeatureSpace.fit(featureMaps, 2);
    const vectors = featureMaps.map((f) => space.vectorise(f));
    const labels = examples.map((e) => intents.indexOf(e.intent));
    const model = new SoftmaxRegression(space.size, intents.length);
    model.train(vectors, labels, options);
    const inScopeStems = new Set<string>();
    for (const example of examples) {
      if (example.intent === OUT_OF_SCOPE) continue;
      for (const token of example.tokens) inScopeStems.add(token.stem);
    }
    return new IntentClassifier(space, model, intents, inScopeStems, lexicon);
  }

  /** Everything learnt from the examples, for the model cache; the lexicon comes from the content. */
  toSnapshot(): IntentClassifierSnapshot {
    return { space: this.space.toSnapshot(), model: this.model.toSnapshot(), intents: this.intents, inScopeStems: [...this.inScopeStems] };
  }

  static fromSnapshot(snapshot: IntentClassifierSnapshot, lexicon: ConceptLexicon): IntentClassifier {
    return new IntentClassifier(FeatureSpace.fromSnapshot(snapshot.space), SoftmaxRegression.fromSnapshot(snapshot.model), [...snapshot.intents], new Set(snapshot.inScopeStems), lexicon);
  }

  get intentNames(): readonly string[] {
    return this.intents;
  }

  predict(tokens: AnalysedToken[]): IntentPrediction {
    const vector: SparseVector = this.space.vectorise(extractFeatures(tokens, this.lexicon));
    const probabilities = this.model.predict(vector);
    const ranking = this.intents.map((name, i) => ({ name, confidence: probabilities[i] })).sort((a, b) => b.confidence - a.confidence);
    const known = tokens.filter((t) => this.inScopeStems.has(t.stem)).length;
    return { ranking, domainCoverage: tokens.length === 0 ? 0 : known / tokens.length };
  }
}
