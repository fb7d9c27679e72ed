// The translator's values pinned across its split into modules (encoder, decoder step, attention, output): with the
// same seed, every attention kind and shape gives the losses, gradients, steps and metrics that the one-closure
// translator gave (translator.golden.json, written by it on the cpu backend). Training with dropout or scheduled
// sampling is pinned too; its seeds come from deriveSeed, so those numbers are the split's own.
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { expectClose } from '@nnkit/core/testing';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import gru from 'nnkit-plugin-gru';
import { beforeAll, describe, expect, it } from 'vitest';
import { START } from './config.js';
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

const golden = new URL('./translator.golden.json', import.meta.url);
const writing = process.env.NNKIT_WRITE_GOLDEN === '1';

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await createKit({
    backend: 'cpu',
    progress: silentProgress(),
    plugins: [rnnLm(), lstm(), gru({ withParity: false })],
  });
});

/** What a translator computes on one padded batch: losses, gradients by weight name, metrics, two decoder steps. */
async function summary(overrides: Partial<TranslatorConfig>, { training }: { training: boolean }) {
  const model = tinyTranslator(kit, overrides);
  const batch = paddedBatch();
  const { value, grads } = tf.variableGrads(
    () => tf.tidy(() => model.loss(batch, { training, seed: 5 }).sum),
    Object.values(model.weights),
  );
  const byName = Object.fromEntries(
    Object.entries(model.weights).map(([name, variable]) => [name, tf.tidy(() => tf.sum(tf.abs(grads[variable.name]!)).dataSync()[0]!)]),
  );
  const { accuracy } = model.metrics(batch);
  const state = model.initialState({
    source: batch.source as tf.Tensor2D,
    sourceMask: batch.sourceMask as tf.Tensor2D,
  });
  const first = model.step(tf.fill([3], START, 'int32') as tf.Tensor1D, state);
  const second = model.step(tf.tensor1d([5, 6, 7], 'int32'), first.state);
  const result = {
    weights: Object.keys(model.weights),
    loss: value.dataSync()[0]!,
    grads: byName,
    accuracy: accuracy!.sum.dataSync()[0]!,
    steps: [...first.logits.dataSync(), ...second.logits.dataSync()].slice(0, 24),
    attention: second.attention ? [...second.attention.dataSync()] : [],
  };
  tf.dispose([value, ...Object.values(grads), accuracy!.sum, accuracy!.weight as tf.Scalar, ...state, first.logits, second.logits]);
  tf.dispose([...new Set([...first.state, ...second.state])].filter((t) => !state.includes(t) && !t.isDisposed));
  if (first.attention) tf.dispose([first.attention, second.attention!]);
  tf.dispose(Object.values(batch));
  model.dispose();
  return result;
}

type Summary = Awaited<ReturnType<typeof summary>>;
const pinned: Record<string, Summary> = writing ? {} : JSON.parse(readFileSync(golden, 'utf8'));

describe('the translator keeps its values', () => {
  for (const [name, overrides] of Object.entries(CASES)) {
    for (const training of [false, true]) {
      const key = `${name}${training ? ', training with dropout and scheduled sampling' : ''}`;
      it(key, async () => {
        const got = await summary({ ...overrides, ...(training && TRAINING) }, { training });
        if (writing) {
          pinned[key] = got;
          return;
        }
        const want = pinned[key]!;
        expect(got.weights).toEqual(want.weights);
        expectClose([got.loss, got.accuracy], [want.loss, want.accuracy], { rtol: 1e-5, atol: 1e-6 });
        expectClose(
          Object.values(got.grads),
          Object.keys(got.grads).map((weight) => want.grads[weight]!),
          { rtol: 1e-4, atol: 1e-6 },
        );
        expectClose(got.steps, want.steps, { rtol: 1e-5, atol: 1e-6 });
        expectClose(got.attention, want.attention, { rtol: 1e-5, atol: 1e-6 });
      });
    }
  }
  it.runIf(writing)('writes what it measured', () => writeFileSync(golden, JSON.stringify(pinned, null, 1) + '\n'));
});
