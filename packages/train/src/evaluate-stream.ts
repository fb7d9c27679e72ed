import * as tf from '@tensorflow/tfjs';
import type { Examples, StreamModel } from '@nnkit/core';

/**
 * The mean loss per step (nats per token for a language model) of a StreamModel over streams (see `toStreams`),
 * read in windows of `window` steps with the state carried across them, so that every token is predicted from all
 * that precedes it in its stream, as a language model's test perplexity is measured.
 */
export async function evaluateStream(model: StreamModel, data: Examples, window = 100): Promise<number> {
  const [streams, length] = data.xs.shape as [number, number];
  let state = model.initialState(streams);
  let total = 0;
  try {
    for (let start = 0; start < length; start += window) {
      const size = Math.min(window, length - start);
      const { loss, next } = tf.tidy(() => {
        const run = model.runWindow(data.xs.slice([0, start], [streams, size]), data.ys.slice([0, start], [streams, size]), state, { lossSteps: size, training: false });
        return { loss: run.loss, next: run.states.at(-1)! };
      });
      total += (await loss.data())[0]! * size;
      tf.dispose([loss, state]);
      state = next;
    }
    return total / length;
  } finally {
    tf.dispose(state);
  }
}
