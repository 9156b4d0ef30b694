import { SoftmaxRegression, type SparseVector } from '../../../src/nlu/classifier/softmax-regression';

const vector = (entries: [number, number][]): SparseVector => ({
  indices: Uint32Array.from(entries.map(([i]) => i)),
  values: Float32Array.from(entries.map(([, v]) => v)),
});

describe('SoftmaxRegression', () => {
  it('learns which features point to which class and returns probabilities', () => {
    const examples = [vector([[0, 1]]), vector([[1, 1]]), vector([[2, 1]]), vector([[0, 0.7], [3, 0.7]])];
    const labels = [0, 1, 2, 0];
    const model = new SoftmaxRegression(4, 3);
    model.train(examples, labels, { epochs: 50, learningRate: 0.5, l2: 0, seed: 1, featureDropout: 0 });
    const p = model.predict(vector([[1, 1]]));
    expect(p[1]).toBeGreaterThan(0.8);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 5);
  });

  it('trains the same model for the same seed', () => {
    const train = () => {
      const model = new SoftmaxRegression(3, 2);
      model.train([vector([[0, 1]]), vector([[1, 1]]), vector([[2, 1]])], [0, 1, 1], { epochs: 5, learningRate: 0.3, l2: 0.001, seed: 7 });
      return Array.from(model.predict(vector([[2, 1]])));
    };
    expect(train()).toEqual(train());
  });
});

describe('SoftmaxRegression feature dropout', () => {
  // Class 0 has a strong cue (feature 0) and a weak one (feature 1); class 1 has feature 2.
  const examples = [vector([[0, 1], [1, 0.3]]), vector([[0, 1], [1, 0.3]]), vector([[2, 1]])];
  const labels = [0, 0, 1];
  const trained = (featureDropout: number, seed = 3) => {
    const model = new SoftmaxRegression(3, 2);
    model.train(examples, labels, { epochs: 40, learningRate: 0.5, l2: 0, seed, featureDropout });
    return model;
  };

  it('still learns, and deterministically for a seed', () => {
    expect(trained(0.3).predict(vector([[0, 1], [1, 0.3]]))[0]).toBeGreaterThan(0.9);
    expect(Array.from(trained(0.3).predict(vector([[2, 1]])))).toEqual(Array.from(trained(0.3).predict(vector([[2, 1]]))));
  });

  it('teaches every cue of a class, not only the strongest', () => {
    // Without dropout the strong cue does the work; with it, the weak cue must also do it alone.
    const alone = vector([[1, 1]]);
    expect(trained(0.5).predict(alone)[0]).toBeGreaterThan(trained(0).predict(alone)[0]);
  });
});
