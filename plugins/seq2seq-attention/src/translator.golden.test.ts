// The translator's values pinned across its split into modules (encoder, decoder step, attention, output): with the
// same seed, every attention kind and shape gives the losses, gradients, steps and metrics that the one-closure
// translator gave (translator.golden.json, written by it on the cpu backend). Training with dropout or scheduled
// sampling is pinned too; its seeds come from deriveSeed, so those numbers are the split's own.
import * as tf from '@tensorflow/tfjs';
import { type Kit } from '@nnkit/core';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { conformanceKit, itKeepsPinnedValues } from '@nnkit/testing';
import gru from 'nnkit-plugin-gru';
import { beforeAll, describe } from 'vitest';
import { paddedBatch, tinyTranslator } from './translator.fixture.js';
import type { TranslatorConfig } from './config.js';

const CASES: Readonly<Record<string, Partial<TranslatorConfig>>> = {
  bahdanau: { attention: 'bahdanau', bidirectional: true },
  'luong-dot': { attention: 'luong-dot', bidirectional: false },
  'luong-general, 2-layer encoder': { attention: 'luong-general', bidirectional: true, encoderLayers: 2 },
  'luong-general, input feeding, 2-layer decoder': { attention: 'luong-general', inputFeeding: true, decoderLayers: 2 },
  'bahdanau, 3-layer decoder, gru': { attention: 'bahdanau', decoderLayers: 3, encoderLayers: 2, cell: 'gru/gru' },
  'none, 2-layer decoder, simple': { attention: 'none', bidirectional: false, decoderLayers: 2, cell: 'rnn-lm/simple' },
};
const TRAINING: Partial<TranslatorConfig> = { dropout: 0.3, teacherForcing: 0.5 };

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await conformanceKit([rnnLm(), lstm(), gru({ withParity: false })]);
});

/** A translator for the case, and one padded batch of pairs. */
async function translatorOnPairs(overrides: Partial<TranslatorConfig>) {
  const model = tinyTranslator(kit, overrides);
  const batch = paddedBatch();
  return { model, batch, context: { source: batch.source as tf.Tensor2D, sourceMask: batch.sourceMask as tf.Tensor2D } };
}

describe('the translator keeps its values', () => {
  itKeepsPinnedValues(new URL('./translator.golden.json', import.meta.url), {
    cases: CASES,
    training: 'training with dropout and scheduled sampling',
    setUp: (overrides, training) => translatorOnPairs({ ...overrides, ...(training && TRAINING) }),
    nextTokens: [5, 6, 7],
    stepValues: 24,
    gradientTolerance: { rtol: 1e-4, atol: 1e-6 },
  });
});
