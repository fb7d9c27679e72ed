import * as tf from '@tensorflow/tfjs';
import { type Examples, type StreamModel } from '@nnkit/core';
import { disposeAll, tidy } from '@nnkit/ops';
import { readWeightedSums } from './evaluate.js';

/**
 * The mean loss per step (nats per token for a language model) of a StreamModel over streams (see `toStreams`),
 * read in windows of `window` steps with the state carried across them, so that every token is predicted from all
 * that precedes it in its stream, as a language model's test perplexity is measured.
 */
export async function evaluateStream(model: StreamModel, data: Examples, window = 100): Promise<number> {
  const [streams, length] = data.xs.shape as [number, number];
  let state = model.initialState(streams);
  let sum = 0;
  let weight = 0;
  try {
    for (let start = 0; start < length; start += window) {
      const size = Math.min(window, length - start);
      const { loss, next } = tidy(() => {
        const batch = { inputs: data.xs.slice([0, start], [streams, size]), targets: data.ys.slice([0, start], [streams, size]) };
        const run = model.runWindow(batch, state, { lossSteps: size, training: false });
        return { loss: run.loss, next: run.states.at(-1)! };
      });
      const { loss: values } = await readWeightedSums({ loss });
      sum += values!.sum;
      weight += values!.weight;
      disposeAll([loss, state]);
      state = next;
    }
    return sum / weight;
  } finally {
    tf.dispose(state);
  }
}
