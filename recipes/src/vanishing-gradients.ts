import * as tf from '@tensorflow/tfjs';
import { type Kit, type RecipeDefinition, type RecipeOptions, type RecurrentCell } from '@nnkit/core';
import { zeroState } from '@nnkit/ops';
import { lineFigure, writeFigure } from '@nnkit/viz';
import { figurePath, row } from './report.js';

const STEPS = 128;
/** Hidden units of both cells, input size, and the random sequences the gradient is averaged over. */
const SETTING = { steps: STEPS, units: 32, inputSize: 8, batch: 16 };

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
    return tf
      .grads(lastStepError)(probes)
      .map((g) => tf.norm(g).dataSync()[0]!);
  });
}

async function measure(kit: Kit, key: string, seed: number) {
  const cell = kit.createCell(key, { inputSize: SETTING.inputSize, units: SETTING.units, seed });
  try {
    const norms = gradientNormsThroughTime(cell, SETTING.inputSize, seed, SETTING.steps, SETTING.batch);
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
    const orders = (x: number) => `${x.toFixed(1)} orders of magnitude`;
    const figure = await writeFigure(
      figurePath(options, 'vanishing-gradients', 'gradient-norm-through-time.png'),
      lineFigure({
        title: `How far back the error at step ${STEPS} reaches`,
        subtitle: [
          `‖∂E₁₂₈/∂hₜ‖ for t = 1 … ${STEPS}: ${SETTING.units} units, a batch of ${SETTING.batch} random sequences, standard initialization`,
          `the simple RNN loses ${orders(simple.ordersLost)}, the LSTM ${lstm.ordersLost.toFixed(1)}`,
        ],
        x: { title: 'step t', ticks: [1, 32, 64, 96, 128] },
        y: { title: '‖∂E₁₂₈/∂hₜ‖', log: true },
        legend: 'cell',
        series: [
          { name: 'simple RNN (orthogonal W)', values: simple.norms, color: [214, 39, 40] },
          { name: 'LSTM (forget bias 1)', values: lstm.norms, color: [31, 119, 180] },
        ],
      }),
    );
    return {
      rows: [
        row(
          'simple RNN: ‖∂E_128/∂h_1‖ / ‖∂E_128/∂h_128‖',
          'vanishes',
          `10^-${simple.ordersLost.toFixed(1)}: loses ${orders(simple.ordersLost)}`,
        ),
        row('LSTM, forget bias 1: the same ratio', 'survives', `10^-${lstm.ordersLost.toFixed(1)}: loses ${orders(lstm.ordersLost)}`),
        row(
          'the LSTM keeps more of the error at step 1',
          'yes',
          `${orders(simple.ordersLost - lstm.ordersLost)} more`,
          lstm.ordersLost < simple.ordersLost - 3,
        ),
      ],
      figures: [figure],
      settings: { ...SETTING, seed, cells: ['rnn-lm/simple', 'lstm/lstm'] },
      summary:
        `‖∂E_128/∂h_t‖ for t = 128…1, ${SETTING.units} units, standard initialization (orthogonal W for the RNN, forget bias 1 for the LSTM): ` +
        `the simple RNN loses ${simple.ordersLost.toFixed(1)} orders of magnitude, the LSTM ${lstm.ordersLost.toFixed(1)}. Picture: \`gradient-norm-through-time.png\``,
      details: { simple: simple.norms, lstm: lstm.norms },
    };
  },
};
