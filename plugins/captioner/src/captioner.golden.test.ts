// The captioner's values pinned across its split into modules (initial state, decoder step, soft attention, output):
// with the same seed, each kind gives the losses, gradients, steps and metrics that the one-closure captioner gave
// (captioner.golden.json, written by it on the cpu backend). Training with dropout is pinned too; its seeds come from
// deriveSeed, so those numbers are the split's own.
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { SEQUENCE_ENDS, START_ID, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { expectClose } from '@nnkit/core/testing';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { padTargets } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import captioner, { type Captioner, type CaptionerConfig } from './index.js';
import { TOY_VOCABULARY, toyEncoderPlugin, toyScenes } from './captioner.fixture.js';

const TOY = {
  vocabularySize: TOY_VOCABULARY,
  imageHeight: 16,
  imageWidth: 16,
  encoder: 'toy/patches',
  units: 16,
  embedding: 8,
  attentionUnits: 8,
};
const CASES: Readonly<Record<string, Partial<CaptionerConfig>>> = {
  soft: { attention: 'soft' },
  'soft, simple': { attention: 'soft', cell: 'rnn-lm/simple' },
  none: { attention: 'none' },
  'none, simple': { attention: 'none', cell: 'rnn-lm/simple' },
};

const golden = new URL('./captioner.golden.json', import.meta.url);
const writing = process.env.NNKIT_WRITE_GOLDEN === '1';

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await createKit({
    backend: 'cpu',
    progress: silentProgress(),
    seed: 1,
    plugins: [captioner(), lstm(), rnnLm(), toyEncoderPlugin()],
  });
});

/** What a captioner computes on one batch of toy scenes: losses, gradients by weight name, metrics, two decoder steps. */
async function summary(overrides: Partial<CaptionerConfig>, { training }: { training: boolean }) {
  const model = (await kit.createModel<Captioner>('captioner/captioner', { config: { ...TOY, ...overrides } })).model;
  const { images, captions } = toyScenes(3, 4);
  const batch = { images, ...padTargets(captions, SEQUENCE_ENDS) };
  // Read inside one tidy: every tensor made here (gradients, states, logits) is freed on the way out.
  const read = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { training, seed: 5 }).sum, Object.values(model.weights));
    const first = model.step(tf.fill([3], START_ID, 'int32') as tf.Tensor1D, model.initialState({ images }));
    const second = model.step(tf.tensor1d([4, 5, 6], 'int32'), first.state);
    return {
      weights: Object.keys(model.weights),
      loss: value.dataSync()[0]!,
      grads: Object.fromEntries(
        Object.entries(model.weights).map(([name, { name: id }]) => [name, tf.sum(tf.abs(grads[id]!)).dataSync()[0]!]),
      ),
      accuracy: model.metrics(batch).accuracy!.sum.dataSync()[0]!,
      steps: Array.from(tf.concat([first.logits, second.logits]).dataSync()),
      attention: second.attention ? Array.from(second.attention.dataSync()) : [],
    };
  });
  tf.dispose(Object.values(batch));
  model.dispose();
  return read;
}

type Summary = Awaited<ReturnType<typeof summary>>;
const pinned: Record<string, Summary> = writing ? {} : JSON.parse(readFileSync(golden, 'utf8'));

/** The same names in the same order, and the same numbers up to float noise. */
function expectSame(got: Summary, want: Summary): void {
  expect(got.weights).toEqual(want.weights);
  const numbers = (s: Summary) => [s.loss, s.accuracy, ...want.weights.map((name) => s.grads[name]!), ...s.steps, ...s.attention];
  expectClose(numbers(got), numbers(want), { rtol: 1e-5, atol: 1e-6 });
}

describe('the captioner keeps its values', () => {
  for (const [name, overrides] of Object.entries(CASES)) {
    for (const training of [false, true]) {
      const key = `${name}${training ? ', training with dropout' : ''}`;
      it(key, async () => {
        const got = await summary({ ...overrides, ...(training && { dropout: 0.3 }) }, { training });
        if (writing) {
          pinned[key] = got;
          return;
        }
        expectSame(got, pinned[key]!);
      });
    }
  }
  it.runIf(writing)('writes what it measured', () => writeFileSync(golden, JSON.stringify(pinned, null, 1) + '\n'));
});
