import type { AnalysedToken } from '../text/analyser';
import { ConceptLexicon } from './concept-lexicon';
import type { SparseVector } from './softmax-regression';

/** Relative weights of the feature families before TF-IDF and length normalisation. */
export const FEATURE_WEIGHTS = { stem: 1, bigram: 0.6, charGram: 0.25, concept: 1 } as const;
/** 5-grams added nothing measurable (cross-validation, held-out set, CLINC150) and cost a fifth of the training time. */
const CHAR_GRAM_SIZES = [3, 4];

/**
 * Features of an analysed message: word stems (meaning), stem bigrams (word order: "nicht
 * anerkannt"), and character 3–4-grams of each word (typos, inflections, compounds such as
 * "Anerkennungsverfahren"), and the cross-language concepts of each word (see concept-lexicon.ts).
 */
export function extractFeatures(tokens: AnalysedToken[], lexicon = ConceptLexicon.empty()): Map<string, number> {
  const features = new Map<string, number>();
  const add = (key: string, weight: number) => features.set(key, (features.get(key) ?? 0) + weight);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    add(`s:${token.stem}`, FEATURE_WEIGHTS.stem);
    // A matched name is not read as a concept: "translator" names a profession, not a translation document.
    if (!token.entity) for (const concept of lexicon.conceptsOf(token)) add(`k:${concept}`, FEATURE_WEIGHTS.concept);
    if (i + 1 < tokens.length) add(`b:${token.stem} ${tokens[i + 1].stem}`, FEATURE_WEIGHTS.bigram);
    // Nor are its letters: "translator" shares most of its 3–4-grams with "translation", a document.
    if (token.entity) continue;
    const padded = `<${token.norm}>`;
    if (padded.length <= 4) continue;
    for (const n of CHAR_GRAM_SIZES) {
      for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`, FEATURE_WEIGHTS.charGram);
    }
  }
  return features;
}

/**
 * Maps feature strings to indices and applies IDF weighting and L2 normalisation. Features seen in
 * fewer than `minDocumentFrequency` training messages are dropped: they cannot generalise and
 * only cost memory.
 */
export interface FeatureSpaceSnapshot {
  features: string[];
  idf: Float32Array;
}

export class FeatureSpace {
  private readonly index = new Map<string, number>();
  private idf = new Float32Array(0);

  static fit(documents: Map<string, number>[], minDocumentFrequency = 1): FeatureSpace {
    const space = new FeatureSpace();
    const df = new Map<string, number>();
    for (const doc of documents) for (const key of doc.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const idf: number[] = [];
    for (const [key, count] of df) {
      if (count < minDocumentFrequency && !key.startsWith('s:')) continue;
      space.index.set(key, idf.length);
      idf.push(Math.log((1 + documents.length) / (1 + count)) + 1);
    }
    space.idf = Float32Array.from(idf);
    return space;
  }

  get size(): number {
    return this.idf.length;
  }

  /** Feature strings in index order and their IDF weights, for the model cache. */
  toSnapshot(): FeatureSpaceSnapshot {
    return { features: [...this.index.keys()], idf: this.idf };
  }

  static fromSnapshot(snapshot: FeatureSpaceSnapshot): FeatureSpace {
    const space = new FeatureSpace();
    snapshot.features.forEach((feature, i) => space.index.set(feature, i));
    space.idf = Float32Array.from(snapshot.idf);
    return space;
  }

  has(feature: string): boolean {
    return this.index.has(feature);
  }

  vectorise(features: Map<string, number>): SparseVector {
    // Filled in place rather than through Array and TypedArray.from: this runs for every message.
    const indices = new Uint32Array(features.size);
    const raw = new Float64Array(features.size);
    let count = 0;
    let norm = 0;
    for (const [key, weight] of features) {
      const i = this.index.get(key);
      if (i === undefined) continue;
      const value = weight * this.idf[i];
      indices[count] = i;
      raw[count++] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++) values[k] = raw[k] * scale;
    return { indices: indices.slice(0, count), values };
  }
}
