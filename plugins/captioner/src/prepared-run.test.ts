import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder } from '@nnkit/core';
import { describeEachBackend } from '@nnkit/core/testing';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { expectRunMatchesSteps } from '@nnkit/testing';
import { padTargets } from '@nnkit/train';
import { it } from 'vitest';
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
      await expectRunMatchesSteps(model, { images }, targetInput, () => model.run(images, targetInput).logits);
      tf.dispose([images, targetInput, targetOutput, targetMask]);
      model.dispose();
    });
  }
});
