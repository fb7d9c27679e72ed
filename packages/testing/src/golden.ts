import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { START_ID, type Batch, type TrainableModel, type WeightedSum } from '@nnkit/core';
import { expectClose, type Tolerance } from '@nnkit/core/testing';
import { expect, it } from 'vitest';

/** What a golden test reads of a model on one batch: its weights' names, loss, gradients, metric, decoder steps. */
export interface PinnedModelValues {
  readonly weights: readonly string[];
  readonly loss: number;
  /** The sum of |gradient| per weight, by weight name. */
  readonly grads: Readonly<Record<string, number>>;
  readonly accuracy: number;
  /** Logits of the first decoder steps. */
  readonly steps: readonly number[];
  /** Attention weights of a step; empty for a model without attention. */
  readonly attention: readonly number[];
}

/** A trainable model that decodes step by step (@nnkit/decoding's IncrementalDecoder) from a context. */
export interface PinnedDecoder<X> extends TrainableModel {
  metrics(batch: Batch): Record<string, WeightedSum>;
  initialState(context: X): tf.Tensor[];
  step(tokens: tf.Tensor1D, state: tf.Tensor[]): { logits: tf.Tensor2D; state: tf.Tensor[]; attention?: tf.Tensor2D };
  dispose(): void;
}

/** A model made for one run, the batch it is measured on, and the context it decodes from; the test frees them. */
export interface PinnedSetup<X> {
  readonly model: PinnedDecoder<X>;
  readonly batch: Batch;
  readonly context: X;
}

/** What a golden test pins: named cases, each measured once in inference and once while training. */
export interface PinnedCases<C, X> {
  readonly cases: Readonly<Record<string, C>>;
  /** Names the training run after its case's name: `training with dropout` gives `soft, training with dropout`. */
  readonly training: string;
  readonly setUp: (testCase: C, training: boolean) => Promise<PinnedSetup<X>>;
  /** The tokens of the second decoder step, one per row of the batch (the first is `<s>`). */
  readonly nextTokens: readonly number[];
  /** How many of the two steps' logits are pinned (default all). */
  readonly stepValues?: number;
  /** How close the gradients must come (default that of every other number: rtol 1e-5, atol 1e-6). */
  readonly gradientTolerance?: Tolerance;
}

const FLOAT_NOISE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/**
 * One test per case and run that holds its measurement to the values pinned in `file` (JSON, beside the test): the
 * same weight names in the same order, and the same numbers up to float noise, which a refactoring of the model must
 * keep. With NNKIT_WRITE_GOLDEN=1 the tests record what they measure instead, and a last test writes the file anew.
 */
export function itKeepsPinnedValues<C, X>(file: URL, spec: PinnedCases<C, X>): void {
  const { cases, training, setUp, gradientTolerance = FLOAT_NOISE } = spec;
  const writing = process.env.NNKIT_WRITE_GOLDEN === '1';
  const pinned: Record<string, PinnedModelValues> = writing ? {} : JSON.parse(readFileSync(file, 'utf8'));
  for (const [name, testCase] of Object.entries(cases)) {
    for (const whileTraining of [false, true]) {
      const key = whileTraining ? `${name}, ${training}` : name;
      it(key, async () => {
        const { model, batch, context } = await setUp(testCase, whileTraining);
        let got: PinnedModelValues;
        try {
          got = readPinnedValues(model, batch, context, whileTraining, spec);
        } finally {
          tf.dispose(Object.values(batch));
          model.dispose();
        }
        if (writing) pinned[key] = got;
        else expectSameValues(got, pinned[key]!, gradientTolerance);
      });
    }
  }
  it.runIf(writing)('writes what it measured', () => writeFileSync(file, JSON.stringify(pinned, null, 1) + '\n'));
}

/**
 * The loss (seed 5) and its gradients, the accuracy, and two decoder steps from `context`: `<s>`, then `nextTokens`.
 * Read inside one tidy: every tensor made here (gradients, states, logits) is freed on the way out.
 */
function readPinnedValues<X>(
  model: PinnedDecoder<X>,
  batch: Batch,
  context: X,
  training: boolean,
  { nextTokens, stepValues }: Pick<PinnedCases<unknown, X>, 'nextTokens' | 'stepValues'>,
): PinnedModelValues {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { training, seed: 5 }).sum, Object.values(model.weights));
    const first = model.step(tf.fill([nextTokens.length], START_ID, 'int32') as tf.Tensor1D, model.initialState(context));
    const second = model.step(tf.tensor1d(nextTokens as number[], 'int32'), first.state);
    return {
      weights: Object.keys(model.weights),
      loss: value.dataSync()[0]!,
      grads: Object.fromEntries(
        Object.entries(model.weights).map(([name, { name: id }]) => [name, tf.sum(tf.abs(grads[id]!)).dataSync()[0]!]),
      ),
      accuracy: model.metrics(batch).accuracy!.sum.dataSync()[0]!,
      steps: Array.from(tf.concat([first.logits, second.logits]).dataSync()).slice(0, stepValues),
      attention: second.attention ? Array.from(second.attention.dataSync()) : [],
    };
  });
}

function expectSameValues(got: PinnedModelValues, want: PinnedModelValues, gradientTolerance: Tolerance): void {
  expect(got.weights).toEqual(want.weights);
  const numbers = (values: PinnedModelValues) => [values.loss, values.accuracy, ...values.steps, ...values.attention];
  expectClose(numbers(got), numbers(want), FLOAT_NOISE);
  const gradients = (values: PinnedModelValues) => want.weights.map((name) => values.grads[name]!);
  expectClose(gradients(got), gradients(want), gradientTolerance);
}
