import * as tf from '@tensorflow/tfjs';
import type { Kit, RecipeOptions, RecipeResult } from '@nnkit/core';
import type { SimpleRnnCell } from '@nnkit/plugin-rnn-lm';
import { TrainingDivergedError, evaluate, train } from '@nnkit/train';
import { lineFigure, writeFigure } from '@nnkit/viz';
import { ALWAYS_ONE_MSE, addingProblem } from './memory/adding-problem.js';
import { sequenceRegressor } from './memory/sequence-regressor.js';
import { figurePath, row } from './report.js';
import { recipeOf } from './recipe-of.js';

const SETTINGS = { quick: { steps: 1500 }, full: { steps: 5000 } };
/** W starts orthogonal, then scaled: every eigenvalue has modulus 2, the spectral radius. */
const SPECTRAL_RADIUS = 2;
const LENGTH = 10;
const CLIP_NORM = 1;

interface Run {
  readonly losses: number[];
  readonly gradientNorms: number[];
  readonly diverged?: TrainingDivergedError;
  readonly testMse?: number;
}

async function run(kit: Kit, steps: number, clip: boolean, seed: number): Promise<Run> {
  const cell = kit.createCell('rnn-lm/simple', { inputSize: 2, units: 32, seed, name: 'cell' }) as SimpleRnnCell;
  cell.recurrent.assign(tf.tidy(() => tf.mul(cell.recurrent, SPECTRAL_RADIUS)));
  const model = sequenceRegressor(cell, seed + 1);
  const data = addingProblem(steps * 32, LENGTH, seed + 2);
  const test = addingProblem(2000, LENGTH, seed + 3);
  const losses: number[] = [];
  const gradientNorms: number[] = [];
  try {
    await train({
      model,
      data,
      steps,
      batchSize: 32,
      optimizer: { name: 'sgd', learningRate: 0.2 },
      ...(clip && { clip: { norm: CLIP_NORM } }),
      callbacks: [{ onStep: ({ metrics }) => void (losses.push(metrics.loss!), gradientNorms.push(metrics.gradientNorm!)) }],
      seed,
      progress: kit.progress,
      label: clip ? `clipped at ${CLIP_NORM}` : 'unclipped',
    });
    return { losses, gradientNorms, testMse: (await evaluate(model, test)).loss! };
  } catch (error) {
    if (error instanceof TrainingDivergedError) return { losses, gradientNorms, diverged: error };
    throw error;
  } finally {
    model.dispose!();
    tf.dispose([data.xs, data.ys, test.xs, test.ys]);
  }
}

const RED = [214, 39, 40] as const;
const BLUE = [31, 119, 180] as const;

/** The run of `explodingGradients` below: the same RNN unclipped, then clipped, with the setting the options chose and its seed. */
async function reproduceExplodingGradients(
  kit: Kit,
  { steps }: (typeof SETTINGS)[keyof typeof SETTINGS],
  seed: number,
  options: RecipeOptions,
): Promise<RecipeResult> {
  const unclipped = await run(kit, steps, false, seed);
  const clipped = await run(kit, steps, true, seed);
  const biggest = (r: Run) => Math.max(...r.gradientNorms).toExponential(1);
  const task = `adding problem, T = ${LENGTH}, SGD learning rate 0.2`;
  const setting = `a simple RNN of 32 units with W orthogonal × ${SPECTRAL_RADIUS}, ${task}, batch 32`;
  const stopped = unclipped.diverged
    ? `without clipping the engine stopped at step ${unclipped.diverged.step} (loss ${unclipped.diverged.loss})`
    : 'without clipping it did not diverge';
  const series = (of: (r: Run) => number[]) => [
    { name: 'without clipping', values: of(unclipped), color: RED },
    { name: `clipped at global norm ${CLIP_NORM}`, values: of(clipped), color: BLUE },
  ];
  const lossFigure = await writeFigure(
    figurePath(options, 'exploding-gradients', 'training-loss.png'),
    lineFigure({
      title: 'Training loss with and without gradient clipping',
      subtitle: [setting, stopped],
      x: { title: 'step' },
      y: { title: 'training loss', unit: 'mean squared error', log: true },
      legend: 'run',
      series: series((r) => r.losses),
      references: [{ name: `always answering 1 (${ALWAYS_ONE_MSE.toFixed(3)})`, y: ALWAYS_ONE_MSE }],
    }),
  );
  const normFigure = await writeFigure(
    figurePath(options, 'exploding-gradients', 'gradient-norm.png'),
    lineFigure({
      title: 'Global norm of the gradient before clipping',
      subtitle: [setting, `the clipped run rescales every gradient whose norm is above ${CLIP_NORM} to ${CLIP_NORM}`],
      x: { title: 'step' },
      y: { title: '‖∂E/∂θ‖', log: true },
      legend: 'run',
      series: series((r) => r.gradientNorms),
      references: [{ name: `clipping threshold (${CLIP_NORM})`, y: CLIP_NORM }],
    }),
  );
  return {
    rows: [
      row(
        `without clipping (${task})`,
        'the loss reaches Inf or NaN, caught by the engine',
        unclipped.diverged
          ? `${unclipped.diverged.name} at step ${unclipped.diverged.step}: loss ${unclipped.diverged.loss}, gradient norm up to ${biggest(unclipped)}`
          : `did not diverge: test MSE ${unclipped.testMse!.toFixed(4)}`,
        unclipped.diverged !== undefined,
      ),
      row(
        `clipped at global norm ${CLIP_NORM}, ${steps} steps: test MSE (always answering 1: ${ALWAYS_ONE_MSE.toFixed(3)})`,
        `trains: below ${ALWAYS_ONE_MSE.toFixed(3)}`,
        clipped.diverged
          ? `diverged at step ${clipped.diverged.step}`
          : `${clipped.testMse!.toFixed(4)}, gradient norm up to ${biggest(clipped)} before clipping`,
        clipped.testMse !== undefined && clipped.testMse < ALWAYS_ONE_MSE,
      ),
    ],
    figures: [lossFigure, normFigure],
    settings: {
      steps,
      length: LENGTH,
      units: 32,
      spectralRadius: SPECTRAL_RADIUS,
      optimizer: { name: 'sgd', learningRate: 0.2 },
      batchSize: 32,
      clipNorm: CLIP_NORM,
      seed,
    },
    summary:
      `a simple RNN (32 units, W orthogonal × ${SPECTRAL_RADIUS}) on the adding problem at T = ${LENGTH}, SGD at 0.2: ` +
      (unclipped.diverged
        ? `unclipped, the gradient norm climbs to ${biggest(unclipped)} and the loss reaches ${unclipped.diverged.loss} at step ${unclipped.diverged.step}, where the engine stops with a \`TrainingDivergedError\``
        : `unclipped, it did not diverge (test MSE ${unclipped.testMse!.toFixed(3)})`) +
      `; clipped at norm ${CLIP_NORM}, the same run ${clipped.testMse !== undefined ? `learns: test MSE ${clipped.testMse.toFixed(3)} after ${steps.toLocaleString('en-US')} steps` : 'diverged too'} (answering 1 always: ${ALWAYS_ONE_MSE.toFixed(3)}). ` +
      'Pictures: `training-loss.png`, `gradient-norm.png`',
    details: {
      unclipped: { losses: unclipped.losses, gradientNorms: unclipped.gradientNorms },
      clipped: { losses: clipped.losses, gradientNorms: clipped.gradientNorms },
    },
  };
}

/** The slides "exploding gradients" and "gradient clipping": the same RNN and the same steps, with and without clipping. */
export const explodingGradients = recipeOf({
  name: 'exploding-gradients',
  description: 'a simple RNN with spectral radius 2 trained by SGD: without clipping it diverges to Inf, clipped by global norm it learns',
  reproduces:
    'With a recurrent spectral radius above 1 gradients explode and training diverges; clipping them by their global norm keeps it stable (Pascanu et al. 2013).',
  settings: SETTINGS,
  seed: 3,
  reproduce: reproduceExplodingGradients,
});
