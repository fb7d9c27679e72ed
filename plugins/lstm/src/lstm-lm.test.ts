import * as tf from '@tensorflow/tfjs';
import { type CellOptions } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import rnnLm, { createLanguageModel, type LanguageModel } from '@nnkit/plugin-rnn-lm';
import { describe, expect, it } from 'vitest';
import lstm from './index.js';
import { createLstmCell } from './lstm-cell.js';

describe('lstm/lm', () => {
  it('needs the rnn-lm plugin, whose model it extends through the registry', async () => {
    await expect(createKit({ plugins: [lstm()], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(
      /expects plugin '@nnkit\/plugin-rnn-lm' to be loaded too/,
    );
  });

  it('is the language model with LSTM layers: two state components per layer, tied weights on request', async () => {
    const kit = await createKit({ plugins: [rnnLm(), lstm()], backend: 'cpu', progress: silentProgress() });
    const { model } = await kit.createModel<LanguageModel>('lstm/lm', {
      config: { vocabularySize: 20, units: 8, embedding: 8, layers: 2, tieWeights: true },
    });
    expect(model.config.cell).toBe('lstm/lstm');
    const state = model.initialState(3);
    expect(state.map((s) => s.shape)).toEqual([
      [3, 8],
      [3, 8],
      [3, 8],
      [3, 8],
    ]);
    // embedding, two LSTM layers (kernel, bias), the output bias: the output matrix is the embedding
    expect(Object.fromEntries(Object.entries(model.weights).map(([name, w]) => [name, w.shape]))).toEqual({
      embedding: [20, 8],
      'layer0/kernel': [16, 32],
      'layer0/bias': [32],
      'layer1/kernel': [16, 32],
      'layer1/bias': [32],
      'output/bias': [20],
    });
    const xs = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const probabilities = model.predict(xs);
    expect(probabilities.shape).toEqual([1, 3, 20]);
    tf.dispose([state, xs, probabilities]);
    model.dispose!();
  });
});

describeEachBackend('lstm/lm over whole layers', () => {
  it('gives the window the loss, gradients and carried states it gets step by step (two layers, loss over the last steps)', async () => {
    const config = {
      vocabularySize: 12,
      units: 6,
      layers: 2,
      embedding: 5,
      dropout: 0,
      tieWeights: false,
      cell: 'lstm/lstm',
    };
    // The same cells twice (and, from the same seeds, the same other weights): as they are, and with `sequence`
    // hidden, which makes the model step.
    const made: ReturnType<typeof createLstmCell>[] = [];
    const whole = createLanguageModel(
      config,
      (options: CellOptions) => (made.push(createLstmCell(options)), made.at(-1)!),
      (label) => label.length,
    );
    let index = 0;
    const stepped = createLanguageModel(
      config,
      () => ({ ...made[index++]!, sequence: undefined }),
      (label) => label.length,
    );
    // Three streams of six tokens: a window reads the first five and predicts each next one.
    const streams = [
      [1, 2, 3, 4, 5, 6],
      [6, 7, 8, 9, 10, 11],
      [11, 1, 2, 3, 4, 5],
    ];
    const inputs = tf.tensor2d(
      streams.map((tokens) => tokens.slice(0, -1)),
      undefined,
      'int32',
    );
    const targets = tf.tensor2d(
      streams.map((tokens) => tokens.slice(1)),
      undefined,
      'int32',
    );
    const run = (model: LanguageModel) =>
      tf.tidy(() => {
        const start = model.initialState(3).map((s, i) => tf.fill(s.shape, 0.1 * (i + 1)));
        let states: tf.Tensor[] = [];
        const { value, grads } = tf.variableGrads(
          () => {
            const window = model.runWindow({ inputs, targets }, start, { lossSteps: 3, training: true });
            states = window.states[2]!.map((s) => tf.keep(s));
            return window.loss.sum as tf.Scalar;
          },
          Object.values(model.weights) as tf.Variable[],
        );
        return [value, ...Object.keys(model.weights).map((name) => grads[model.weights[name]!.name]!), ...states];
      });
    const before = tf.memory().numTensors;
    const [a, b] = [run(whole), run(stepped)];
    expect(a.length).toBe(b.length);
    for (const [i, tensor] of a.entries()) expectClose(await tensor.data(), await b[i]!.data(), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([...a, ...b]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([inputs, targets]);
    whole.dispose!();
    tf.dispose(
      Object.entries(stepped.weights)
        .filter(([name]) => !name.startsWith('layer'))
        .map(([, w]) => w),
    );
  });
});
