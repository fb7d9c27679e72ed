import * as tf from '@tensorflow/tfjs';
import { describeEachBackend } from '@nnkit/core/testing';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { expectRunMatchesSteps } from '@nnkit/testing';
import { it } from 'vitest';
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
      await expectRunMatchesSteps(
        model,
        { source: source!, sourceMask: sourceMask! },
        targetInput!,
        () => model.decode(model.encode(source!, sourceMask!), targetInput!).logits,
      );
      tf.dispose(Object.values(batch));
      model.dispose!();
    });
  }
});
