import * as tf from '@tensorflow/tfjs';
import { zeroState, type Kit, type RecipeDefinition, type RecipeOptions, type RecurrentCell } from '@nnkit/core';
import { lineChart, writePng } from '@nnkit/viz';
import { figurePath, row } from './report.js';

const STEPS = 128;

/**
 * ‖∂E_T/∂h_t‖ for t = 1 … T: how much of the error at the last step reaches the hidden state of each earlier step.
 * A zero "probe" is added to the hidden state each step produces; the gradient with respect to it is ∂E_T/∂h_t.
 * E_T is a fixed random projection of h_T, averaged over a batch of random input sequences.
 */
export function gradientNormsThroughTime(cell: RecurrentCell, inputSize: number, seed: number, steps = STEPS, batch = 16): number[] {
  return tf.tidy(() => {
    const xs = tf.unstack(tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', seed), 1) as tf.Tensor2D[];
    const projection = tf.randomNormal([cell.units, 1], 0, 1, 'float32', seed + 1);
    const probes = Array.from({ length: steps }, () => tf.zeros([batch, cell.units]));
    const lastStepError = (...p: tf.Tensor[]) => {
      let state = zeroState(cell, batch);
      for (let t = 0; t < steps; t++) {
        const next = cell.step(xs[t]!, state).state;
        state = [tf.add(next[0]!, p[t]!) as tf.Tensor2D, ...next.slice(1)];
      }
      return tf.mean(tf.matMul(state[0]!, projection)) as tf.Scalar;
    };
    return tf.grads(lastStepError)(probes).map((g) => tf.norm(g).dataSync()[0]!);
  });
}

async function measure(kit: Kit, key: string, seed: number) {
  const cell = kit.createCell(key, { inputSize: 8, units: 32, seed });
  try {
    const norms = gradientNormsThroughTime(cell, 8, seed);
    return { norms, ordersLost: Math.log10(norms.at(-1)! / norms[0]!) };
  } finally {
    tf.dispose(Object.values(cell.weights));
  }
}

/** The slides "the vanishing gradient problem" and "LSTM solves it: error propagation at step 128". */
export const vanishingGradients: RecipeDefinition = {
  name: 'vanishing-gradients',
  description: 'how far back the error at step 128 reaches: simple RNN against LSTM, same size, standard initialization',
  reproduces: 'Through a simple RNN the gradient of the error at step 128 shrinks fast with every step back; through an LSTM it survives.',
  async run(options: RecipeOptions, { kit }) {
    const seed = options.seed ?? 7;
    const simple = await measure(kit, 'rnn-lm/simple', seed);
    const lstm = await measure(kit, 'lstm/lstm', seed);
    const figure = writePng(
      figurePath(options, 'vanishing-gradients', 'gradient-norm-through-time.png'),
      lineChart([{ values: simple.norms, color: [214, 39, 40] }, { values: lstm.norms, color: [31, 119, 180] }], { logY: true, xTicks: [1, 32, 64, 96, 128] }),
    );
    const orders = (x: number) => `${x.toFixed(1)} orders of magnitude`;
    return {
      rows: [
        row('simple RNN (red): ‖∂E_128/∂h_1‖ / ‖∂E_128/∂h_128‖', 'vanishes', `10^-${simple.ordersLost.toFixed(1)}: loses ${orders(simple.ordersLost)}`),
        row('LSTM (blue), forget bias 1: the same ratio', 'survives', `10^-${lstm.ordersLost.toFixed(1)}: loses ${orders(lstm.ordersLost)}`),
        row('the LSTM keeps more of the error at step 1', 'yes', `${orders(simple.ordersLost - lstm.ordersLost)} more`, lstm.ordersLost < simple.ordersLost - 3),
      ],
      figures: [figure],
      details: { simple: simple.norms, lstm: lstm.norms },
    };
  },
};
