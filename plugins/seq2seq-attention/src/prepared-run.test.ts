import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { expect, it } from 'vitest';
import { ATTENTION_VARIANTS, paddedBatch, tinyTranslator, type CellMaker } from './translator.fixture.js';

const cells: CellMaker = { createCell: (_name, options) => createLstmCell(options) };

// `decode` runs the whole target with the cells' prepared steps (LSTMBlockCell on the native backend) and, without
// input feeding, one readout for every step's h̃; the incremental `step` runs the plain cells and h̃ step by step.
describeEachBackend("the translator's teacher-forced run against its incremental steps", () => {
  for (const [name, overrides] of Object.entries(ATTENTION_VARIANTS)) {
    it(`${name}: the same logits and gradients for every weight, leaving no tensor behind`, async () => {
      const model = tinyTranslator(cells, overrides);
      const batch = paddedBatch();
      const { source, sourceMask, targetInput } = batch as Record<string, tf.Tensor2D>;
      const steps = targetInput!.shape[1];
      const weighting = tf.randomNormal([targetInput!.shape[0], steps, model.vocabularySize], 0, 1, 'float32', 3);
      const byRun = () => model.decode(model.encode(source!, sourceMask!), targetInput!).logits;
      const bySteps = () => {
        let state = model.initialState({ source: source!, sourceMask: sourceMask! });
        const logits: tf.Tensor[] = [];
        for (const tokens of tf.unstack(targetInput!, 1)) {
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
      tf.dispose([weighting, ...Object.values(batch)]);
      model.dispose!();
    });
  }
});
