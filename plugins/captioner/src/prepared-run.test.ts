import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { padTargets } from '@nnkit/train';
import { expect, it } from 'vitest';
import { createCaptioner } from './captioner.js';
import { TOY_CONFIG, toyEncoderPlugin, toyScenes } from './captioner.fixture.js';
import { CAPTIONER_CONFIG, END, START, type CaptionerConfig } from './config.js';

const defaults = Object.fromEntries(Object.entries(CAPTIONER_CONFIG).map(([key, field]) => [key, field.default]));

// `run` goes through the whole caption with the cell's prepared steps (LSTMBlockCell on the native backend) and one
// readout of o_t for every step; the incremental `step` runs the plain cell and o_t word by word.
describeEachBackend("the captioner's teacher-forced run against its incremental steps", () => {
  for (const attention of ['soft', 'none'] as const) {
    it(`attention '${attention}': the same logits and gradients for every weight, leaving no tensor behind`, async () => {
      // The toy encoder reads no kit.
      const encoder = (await toyEncoderPlugin().encoders![0]!.create({ name: 'encoder' }, { kit: undefined as never })) as ImageEncoder;
      const config = { ...defaults, ...TOY_CONFIG, attention } as CaptionerConfig;
      const model = createCaptioner(
        config,
        encoder,
        (_name, options) => createLstmCell(options),
        (label) => label.length,
      );
      const { images, captions } = toyScenes(3, 2);
      const { targetInput, targetOutput, targetMask } = padTargets(captions, { startId: START, endId: END });
      const steps = targetInput.shape[1];
      const weighting = tf.randomNormal([3, steps, config.vocabularySize], 0, 1, 'float32', 3);
      const byRun = () => model.run(images, targetInput).logits;
      const bySteps = () => {
        let state = model.initialState({ images });
        const logits: tf.Tensor[] = [];
        for (const tokens of tf.unstack(targetInput, 1)) {
          const next = model.step(tokens as tf.Tensor1D, state);
          logits.push(next.logits);
          state = next.state;
        }
        return tf.stack(logits, 1);
      };
      const everything = (logitsOf: () => tf.Tensor) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(logitsOf(), weighting)), Object.values(model.weights));
          return [value, tf.tidy(logitsOf), ...Object.keys(model.weights).map((key) => grads[model.weights[key]!.name]!)];
        });
      const before = tf.memory().numTensors;
      const run = everything(byRun);
      const stepped = everything(bySteps);
      for (const [i, tensor] of run.entries()) expectClose(await tensor.data(), await stepped[i]!.data(), { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([...run, ...stepped]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([weighting, images, targetInput, targetOutput, targetMask]);
      model.dispose();
    });
  }
});
