// The captioner's values pinned across its split into modules (initial state, decoder step, soft attention, output):
// with the same seed, each kind gives the losses, gradients, steps and metrics that the one-closure captioner gave
// (captioner.golden.json, written by it on the cpu backend). Training with dropout is pinned too; its seeds come from
// deriveSeed, so those numbers are the split's own.
import * as tf from '@tensorflow/tfjs';
import { SEQUENCE_ENDS, type Kit } from '@nnkit/core';
import { conformanceKit, itKeepsPinnedValues } from '@nnkit/testing';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { padTargets } from '@nnkit/train';
import { beforeAll, describe } from 'vitest';
import captioner, { type Captioner, type CaptionerConfig } from './index.js';
import { TOY_CONFIG, toyEncoderPlugin, toyScenes } from './captioner.fixture.js';

const CASES: Readonly<Record<string, Partial<CaptionerConfig>>> = {
  soft: { attention: 'soft' },
  'soft, simple': { attention: 'soft', cell: 'rnn-lm/simple' },
  none: { attention: 'none' },
  'none, simple': { attention: 'none', cell: 'rnn-lm/simple' },
};

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await conformanceKit([captioner(), lstm(), rnnLm(), toyEncoderPlugin()], 1);
});

/** A captioner for the case, and one batch of toy scenes. */
async function captionerOnToyScenes(overrides: Partial<CaptionerConfig>) {
  const model = (await kit.createModel<Captioner>('captioner/captioner', { config: { ...TOY_CONFIG, ...overrides } })).model;
  const { images, captions } = toyScenes(3, 4);
  return { model, batch: { images, ...padTargets(captions, SEQUENCE_ENDS) }, context: { images } };
}

describe('the captioner keeps its values', () => {
  itKeepsPinnedValues(new URL('./captioner.golden.json', import.meta.url), {
    cases: CASES,
    training: 'training with dropout',
    setUp: (overrides, training) => captionerOnToyScenes({ ...overrides, ...(training && { dropout: 0.3 }) }),
    nextTokens: [4, 5, 6],
  });
});
