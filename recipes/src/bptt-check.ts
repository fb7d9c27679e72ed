import * as tf from '@tensorflow/tfjs';
import { mulberry32, type RecipeDefinition, type RecipeOptions } from '@nnkit/core';
import { row } from './report.js';

/**
 * The slides' BPTT example: s_t = tanh(U x_t + W s_{t−1}), ŷ_t = softmax(V s_t), E = −Σ_t log ŷ_t[y_t], and
 *
 *   ∂E_t/∂W = Σ_{k ≤ t} (Π_{j=k+1}^{t} ∂s_j/∂s_{j−1}) ∂s_k/∂W*,   ∂s_j/∂s_{j−1} = diag(1 − s_j²) W,
 *
 * where ∂s_k/∂W* treats s_{k−1} as a constant. ∂E/∂W three ways: tfjs's autodiff (float32), the slides' sum
 * written out (float64), and central finite differences (float64).
 */
interface Problem {
  readonly units: number;
  readonly vocabulary: number;
  readonly U: number[][];
  readonly W: number[][];
  readonly V: number[][];
  /** One-hot inputs are symbol ids; targets likewise. */
  readonly inputs: number[];
  readonly targets: number[];
}

function problem(steps: number, seed: number): Problem {
  const random = mulberry32(seed);
  const [units, vocabulary] = [4, 5];
  const matrix = (rows: number, cols: number, scale: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() * 2 - 1) * scale));
  const symbols = () => Array.from({ length: steps }, () => Math.floor(random() * vocabulary));
  return {
    units,
    vocabulary,
    U: matrix(units, vocabulary, 0.8),
    W: matrix(units, units, 0.8),
    V: matrix(vocabulary, units, 0.8),
    inputs: symbols(),
    targets: symbols(),
  };
}

/** The forward pass in float64: states s_0 … s_T and the loss. */
function forward(p: Problem, W: number[][]): { states: number[][]; loss: number; outputs: number[][] } {
  const states = [new Array<number>(p.units).fill(0)];
  const outputs: number[][] = [];
  let loss = 0;
  p.inputs.forEach((symbol, t) => {
    const previous = states[t]!;
    const s = p.U.map((row, i) => Math.tanh(row[symbol]! + W[i]!.reduce((sum, w, j) => sum + w * previous[j]!, 0)));
    states.push(s);
    const logits = p.V.map((row) => row.reduce((sum, v, j) => sum + v * s[j]!, 0));
    const max = Math.max(...logits);
    const z = logits.reduce((sum, l) => sum + Math.exp(l - max), 0);
    const y = logits.map((l) => Math.exp(l - max) / z);
    outputs.push(y);
    loss -= Math.log(y[p.targets[t]!]!);
  });
  return { states, loss, outputs };
}

/** The slides' sum, term by term. */
function explicitGradient(p: Problem): number[][] {
  const { states, outputs } = forward(p, p.W);
  const gradient = p.W.map((row) => row.map(() => 0));
  for (let t = 1; t <= p.inputs.length; t++) {
    // δ = ∂E_t/∂s_t = Vᵀ (ŷ_t − y_t)
    const error = outputs[t - 1]!.map((y, k) => y - (k === p.targets[t - 1] ? 1 : 0));
    let delta = Array.from({ length: p.units }, (_, j) => p.V.reduce((sum, row, k) => sum + row[j]! * error[k]!, 0));
    for (let k = t; k >= 1; k--) {
      // ∂s_k/∂W*[i][j] = (1 − s_k[i]²) s_{k−1}[j]: the immediate term, weighted by ∂E_t/∂s_k
      const local = states[k]!.map((s, i) => delta[i]! * (1 - s * s));
      local.forEach((g, i) => states[k - 1]!.forEach((s, j) => (gradient[i]![j]! += g * s)));
      // ∂E_t/∂s_{k−1} = (∂s_k/∂s_{k−1})ᵀ ∂E_t/∂s_k, with ∂s_k/∂s_{k−1} = diag(1 − s_k²) W
      delta = Array.from({ length: p.units }, (_, j) => local.reduce((sum, g, i) => sum + g * p.W[i]![j]!, 0));
    }
  }
  return gradient;
}

function numericGradient(p: Problem, epsilon = 1e-6): number[][] {
  return p.W.map((row, i) =>
    row.map((_, j) => {
      const shifted = (d: number) =>
        forward(
          p,
          p.W.map((r, a) => r.map((w, b) => (a === i && b === j ? w + d : w))),
        ).loss;
      return (shifted(epsilon) - shifted(-epsilon)) / (2 * epsilon);
    }),
  );
}

function autodiffGradient(p: Problem): number[][] {
  return tf.tidy(() => {
    const [U, V] = [tf.tensor2d(p.U), tf.tensor2d(p.V)];
    const loss = (W: tf.Tensor) => {
      let s = tf.zeros([p.units, 1]);
      let total = tf.scalar(0);
      p.inputs.forEach((symbol, t) => {
        s = tf.tanh(tf.add(tf.slice(U, [0, symbol], [p.units, 1]), tf.matMul(W, s)));
        const logProbabilities = tf.logSoftmax(tf.reshape(tf.matMul(V, s), [p.vocabulary]));
        total = tf.sub(total, tf.slice(logProbabilities, [p.targets[t]!], [1]).sum());
      });
      return total as tf.Scalar;
    };
    return tf.grad(loss)(tf.tensor2d(p.W)).arraySync() as number[][];
  });
}

function maxRelativeDifference(a: number[][], b: number[][]): number {
  const scale = Math.max(...b.flat().map(Math.abs));
  return Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i]!))) / scale;
}

export const bpttCheck: RecipeDefinition = {
  name: 'bptt-check',
  description: 'back-propagation through time: autodiff, the slides’ sum written out, and finite differences agree',
  reproduces: '∂E/∂W = Σ_t Σ_{k≤t} (Π_{j=k+1}^{t} ∂s_j/∂s_{j−1}) ∂s_k/∂W*, for the slides’ RNN, over 3 steps as derived and over 20.',
  async run(options: RecipeOptions) {
    const measured: Record<number, { sumVsNumeric: number; autodiffVsSum: number }> = {};
    const rows = [3, 20].flatMap((steps) => {
      const p = problem(steps, (options.seed ?? 42) + steps);
      const explicit = explicitGradient(p);
      const autodiff = autodiffGradient(p);
      const numeric = numericGradient(p);
      const sumVsNumeric = maxRelativeDifference(explicit, numeric);
      const autodiffVsSum = maxRelativeDifference(autodiff, explicit);
      measured[steps] = { sumVsNumeric, autodiffVsSum };
      return [
        row(
          `${steps} steps: the slides' sum against finite differences (float64)`,
          'equal',
          `max relative difference ${sumVsNumeric.toExponential(1)}`,
          sumVsNumeric < 1e-6,
        ),
        row(
          `${steps} steps: tfjs autodiff (float32) against the slides' sum`,
          'equal',
          `max relative difference ${autodiffVsSum.toExponential(1)}`,
          autodiffVsSum < 1e-4,
        ),
      ];
    });
    const e = (x: number) => x.toExponential(1);
    return {
      rows,
      figures: [],
      settings: {
        steps: [3, 20],
        units: 4,
        vocabulary: 5,
        initialization: 'uniform in [−0.8, 0.8]',
        finiteDifferenceEpsilon: 1e-6,
        seed: options.seed ?? 42,
      },
      summary:
        `the slides' sum written out (float64) equals finite differences to ${e(measured[3]!.sumVsNumeric)} (3 steps) and ${e(measured[20]!.sumVsNumeric)} (20 steps) relative; ` +
        `tfjs's autodiff (float32) equals the sum to ${e(measured[3]!.autodiffVsSum)} and ${e(measured[20]!.autodiffVsSum)}`,
    };
  },
};
