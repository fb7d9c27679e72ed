import * as tf from '@tensorflow/tfjs';
import { createKit, silentProgress } from '@nnkit/core';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { describe, expect, it } from 'vitest';
import lstm from './index.js';

describe('lstm/lm', () => {
  it('is the language model with LSTM layers: two state components per layer, tied weights on request', async () => {
    const kit = await createKit({ plugins: [lstm()], backend: 'cpu', progress: silentProgress() });
    const { model } = await kit.createModel<LanguageModel>('lstm/lm', { config: { vocabularySize: 20, units: 8, embedding: 8, layers: 2, tieWeights: true } });
    expect(model.config.cell).toBe('lstm/lstm');
    const state = model.initialState(3);
    expect(state.map((s) => s.shape)).toEqual([[3, 8], [3, 8], [3, 8], [3, 8]]);
    // embedding, two LSTM layers (kernel, bias), the output bias: the output matrix is the embedding
    expect(model.trainableWeights.map((w) => w.shape)).toEqual([[20, 8], [16, 32], [32], [16, 32], [32], [20]]);
    const xs = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const probabilities = model.predict(xs);
    expect(probabilities.shape).toEqual([1, 3, 20]);
    tf.dispose([state, xs, probabilities]);
    model.dispose!();
  });
});
