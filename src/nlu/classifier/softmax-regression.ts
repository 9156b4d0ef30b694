/** A sparse feature vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 60, learningRate: 1, l2: 1e-5, seed: 42 };

/**
 * Multinomial logistic regression trained with SGD. Chosen over natural's classifiers because it
 * trains in well under a second on our data, classifies in microseconds (weights are laid out
 * feature-major, so a message touches only its own rows) and gives probabilities a fallback policy
 * can threshold.
 */
export class SoftmaxRegression {
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;

  constructor(
    readonly featureCount: number,
    readonly classCount: number,
  ) {
    this.weights = new Float32Array(featureCount * classCount);
    this.bias = new Float32Array(classCount);
  }

  train(examples: SparseVector[], labels: number[], options: TrainingOptions = DEFAULT_TRAINING): void {
    const random = mulberry32(options.seed);
    const order = examples.map((_, i) => i);
    const probabilities = new Float32Array(this.classCount);
    const C = this.classCount;
    let step = 0;
    const totalSteps = options.epochs * examples.length;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      for (const i of order) {
        const rate = options.learningRate * (1 - step / totalSteps) + 0.01;
        step++;
        const x = examples[i];
        this.scores(x, probabilities);
        softmaxInPlace(probabilities);
        probabilities[labels[i]] -= 1; // now the gradient of the loss w.r.t. the scores
        for (let c = 0; c < C; c++) this.bias[c] -= rate * probabilities[c];
        for (let k = 0; k < x.indices.length; k++) {
          const row = x.indices[k] * C;
          const value = x.values[k];
          for (let c = 0; c < C; c++) {
            const w = this.weights[row + c];
            this.weights[row + c] = w - rate * (probabilities[c] * value + options.l2 * w);
          }
        }
      }
    }
  }

  /** Class probabilities for one example. */
  predict(x: SparseVector, out: Float32Array = new Float32Array(this.classCount)): Float32Array {
    this.scores(x, out);
    return softmaxInPlace(out);
  }

  private scores(x: SparseVector, out: Float32Array): void {
    const C = this.classCount;
    out.set(this.bias);
    for (let k = 0; k < x.indices.length; k++) {
      const row = x.indices[k] * C;
      const value = x.values[k];
      for (let c = 0; c < C; c++) out[c] += this.weights[row + c] * value;
    }
  }
}

function softmaxInPlace(values: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.exp(values[i] - max);
    sum += values[i];
  }
  for (let i = 0; i < values.length; i++) values[i] /= sum;
  return values;
}

/** Small deterministic PRNG so training gives the same model on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
