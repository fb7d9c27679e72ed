import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@nnkit/core/testing';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { beforeAll, describe, expect, it } from 'vitest';
import { START } from './config.js';
import { ATTENTION_VARIANTS, paddedBatch, tinyTranslator } from './translator.fixture.js';

const cells = { createCell: (_name: string, options: Parameters<typeof createLstmCell>[0]) => createLstmCell(options) };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('one decode loop for teacher forcing and scheduled sampling', () => {
  for (const [name, overrides] of Object.entries({
    ...ATTENTION_VARIANTS,
    none: { attention: 'none' as const, bidirectional: false },
  })) {
    it(`${name}: with teacherForcing 0 every step reads the model's own argmax, so training's logits are greedy decoding's`, async () => {
      const model = tinyTranslator(cells, { ...overrides, teacherForcing: 0 });
      const batch = paddedBatch();
      const [source, sourceMask, targetInput] = [batch.source, batch.sourceMask, batch.targetInput] as tf.Tensor2D[];
      const before = tf.memory().numTensors;
      const sampled = tf.tidy(
        () =>
          model.decode(model.encode(source!, sourceMask!, { training: true, seed: 4 }), targetInput!, {
            training: true,
            seed: 4,
          }).logits,
      );
      // Greedy decoding through the IncrementalDecoder contract, fed its own argmax from <s>.
      const greedy = tf.tidy(() => {
        let state = model.initialState({ source: source!, sourceMask: sourceMask! });
        let tokens = tf.fill([source!.shape[0]], START, 'int32') as tf.Tensor1D;
        const steps: tf.Tensor2D[] = [];
        for (let t = 0; t < targetInput!.shape[1]; t++) {
          const step = model.step(tokens, state);
          steps.push(step.logits);
          tokens = tf.argMax(step.logits, 1) as tf.Tensor1D;
          state = step.state;
        }
        return tf.stack(steps, 1);
      });
      expectClose(await sampled.data(), await greedy.data(), { rtol: 1e-5, atol: 1e-6 });
      tf.dispose([sampled, greedy]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(batch));
      model.dispose();
    });
  }
});
