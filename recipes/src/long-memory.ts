import * as tf from '@tensorflow/tfjs';
import type { Kit, RecipeOptions, RecipeResult } from '@nnkit/core';
import { evaluate, train } from '@nnkit/train';
import { lineFigure, writeFigure, type LineSeries } from '@nnkit/viz';
import { ALWAYS_ONE_MSE, addingProblem } from './memory/adding-problem.js';
import { sequenceRegressor } from './memory/sequence-regressor.js';
import { figurePath, row } from './report.js';
import { recipeOf } from './recipe-of.js';

const SETTINGS = {
  quick: { lengths: [20], steps: 250, units: 32 },
  full: { lengths: [50, 100], steps: 2500, units: 64 },
};

const CELLS = [
  { key: 'rnn-lm/simple', name: 'simple RNN', color: [214, 39, 40] as const },
  { key: 'lstm/lstm', name: 'LSTM', color: [31, 119, 180] as const },
];

/** Training losses are averaged over blocks of this many steps for the figure. */
const BLOCK = 25;

/** A problem "solved" scores under a tenth of the always-1 baseline; "not solved" stays above half of it. */
const SOLVED = ALWAYS_ONE_MSE / 10;

async function trainOn(kit: Kit, key: string, steps: number, length: number, setting: (typeof SETTINGS)['full'], seed: number) {
  const cell = kit.createCell(key, { inputSize: 2, units: setting.units, seed, name: 'cell' });
  const model = sequenceRegressor(cell, seed + 1);
  const data = addingProblem(steps * 64, length, seed + 2);
  const test = addingProblem(2000, length, seed + 3);
  const losses: number[] = [];
  try {
    await train({
      model,
      data,
      steps,
      batchSize: 64,
      optimizer: { name: 'adam', learningRate: 1e-2 },
      clip: { norm: 1 },
      callbacks: [{ onStep: ({ metrics }) => void losses.push(metrics.loss!) }],
      seed,
      progress: kit.progress,
      label: `${key} T=${length}`,
    });
    return { losses, testMse: (await evaluate(model, test)).loss! };
  } finally {
    model.dispose!();
    tf.dispose([data.xs, data.ys, test.xs, test.ys]);
  }
}

/** Means over consecutive blocks of `size`, so that a curve of thousands of noisy steps reads as a trend. */
function smooth(values: readonly number[], size: number): number[] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, i) => {
    const block = values.slice(i * size, (i + 1) * size);
    return block.reduce((a, b) => a + b, 0) / block.length;
  });
}

/** The run of `longMemory` below: what it measures, with the setting the options chose and its seed. */
async function reproduceLongMemory(
  kit: Kit,
  setting: (typeof SETTINGS)[keyof typeof SETTINGS],
  seed: number,
  options: RecipeOptions,
): Promise<RecipeResult> {
  const rows = [];
  const curves: LineSeries[] = [];
  const results: Record<string, number> = {};
  for (const length of setting.lengths) {
    for (const { key, name, color } of CELLS) {
      const { losses, testMse } = await trainOn(kit, key, setting.steps, length, setting, seed);
      const lstm = key === 'lstm/lstm';
      results[`${name}, T = ${length}`] = testMse;
      rows.push(
        row(
          `T = ${length}: ${name}, test MSE after ${setting.steps} steps (always answering 1: ${ALWAYS_ONE_MSE.toFixed(3)})`,
          lstm ? `solves it: < ${SOLVED.toFixed(4)}` : `does not: > ${(ALWAYS_ONE_MSE / 2).toFixed(3)}`,
          testMse.toFixed(4),
          lstm ? testMse < SOLVED : testMse > ALWAYS_ONE_MSE / 2,
        ),
      );
      const blocks = smooth(losses, BLOCK);
      curves.push({
        name: `${name}, T = ${length}`,
        values: blocks,
        x: blocks.map((_, i) => (i + 1) * BLOCK),
        color: length === setting.lengths[0] ? color : ([color[0] / 2, color[1] / 2, color[2] / 2] as const),
        dashed: length !== setting.lengths[0],
      });
    }
  }
  const figure = await writeFigure(
    figurePath(options, 'long-memory', 'adding-problem-training-loss.png'),
    lineFigure({
      title: 'The adding problem: training loss of an LSTM and a simple RNN',
      subtitle: [
        `${setting.units} units, Adam at 1e-2, batch 64, gradients clipped at norm 1; T = ${setting.lengths.join(' and ')} steps between the two marked numbers and the answer`,
        `each point is the mean of ${BLOCK} steps`,
      ],
      x: { title: 'training step' },
      y: { title: 'training loss', unit: 'mean squared error', log: true },
      legend: 'cell and sequence length',
      series: curves,
      references: [{ name: `always answering 1 (${ALWAYS_ONE_MSE.toFixed(3)})`, y: ALWAYS_ONE_MSE }],
    }),
  );
  const mse = (name: string, length: number) => results[`${name}, T = ${length}`]!.toFixed(4);
  return {
    rows,
    figures: [figure],
    settings: { ...setting, optimizer: { name: 'adam', learningRate: 1e-2 }, batchSize: 64, clipNorm: 1, seed },
    summary:
      `test MSE after ${setting.steps.toLocaleString('en-US')} steps of Adam (batch 64, ${setting.units} units, clipped at 1): ` +
      setting.lengths
        .map((length) => `T = ${length}, LSTM **${mse('LSTM', length)}**, simple RNN ${mse('simple RNN', length)}`)
        .join('; ') +
      ` (answering 1 always: ${ALWAYS_ONE_MSE.toFixed(3)}). Picture: \`adding-problem-training-loss.png\``,
    details: { testMse: results },
  };
}

/** The lecture's "LSTM: long-term dependencies", measured on Hochreiter & Schmidhuber's adding problem. */
export const longMemory = recipeOf({
  name: 'long-memory',
  description: 'the adding problem at T = 50 and 100: the LSTM remembers across the sequence, the simple RNN does not',
  reproduces: 'An LSTM learns dependencies across 100 steps that a simple RNN cannot (Hochreiter & Schmidhuber 1997, adding problem).',
  settings: SETTINGS,
  seed: 5,
  reproduce: reproduceLongMemory,
});
