import * as tf from '@tensorflow/tfjs';
import { createKit, silentProgress } from '@nnkit/core';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { describe, expect, it } from 'vitest';
import rnnLm from '@nnkit/plugin-rnn-lm';
import lstm from './index.js';

describe('lstm/lm', () => {
  it('needs the rnn-lm plugin, whose model it extends through the registry', async () => {
    await expect(createKit({ plugins: [lstm()], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(/expects plugin '@nnkit\/plugin-rnn-lm' to be loaded too/);
  });

  it('is the language model with LSTM layers: two state components per layer, tied weights on request', async () => {
    const kit = await createKit({ plugins: [rnnLm(), lstm()], backend: 'cpu', progress: silentProgress() });
    const { model } = await kit.createModel<LanguageModel>('lstm/lm', { config: { vocabularySize: 20, units: 8, embedding: 8, layers: 2, tieWeights: true } });
    expect(model.config.cell).toBe('lstm/lstm');
    const state = model.initialState(3);
    expect(state.map((s) => s.shape)).toEqual([[3, 8], [3, 8], [3, 8], [3, 8]]);
    // embedding, two LSTM layers (kernel, bias), the output bias: the output matrix is the embedding
    expect(Object.fromEntries(Object.entries(model.weights).map(([name, w]) => [name, w.shape]))).toEqual({
      embedding: [20, 8], 'layer0/kernel': [16, 32], 'layer0/bias': [32], 'layer1/kernel': [16, 32], 'layer1/bias': [32], 'output/bias': [20],
    });
    const xs = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const probabilities = model.predict(xs);
    expect(probabilities.shape).toEqual([1, 3, 20]);
    tf.dispose([state, xs, probabilities]);
    model.dispose!();
  });
});
