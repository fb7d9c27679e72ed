import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { padTargets } from '@nnkit/train';
import { expectNoLeaks } from '@nnkit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import captioner, { END, START, type Captioner, type CaptionerConfig } from './index.js';
import { TOY_CONFIG, TOY_VOCABULARY, toyEncoderPlugin, toyScenes } from './captioner.fixture.js';

let kit: Kit;
const toy = TOY_CONFIG;

async function make(config: Partial<CaptionerConfig> & { vocabularySize: number }): Promise<Captioner> {
  return (await kit.createModel<Captioner>('captioner/captioner', { config })).model;
}

function batchOf(images: tf.Tensor4D, captions: number[][]) {
  return { images, ...padTargets(captions, { startId: START, endId: END }) };
}

/** Adam on one batch; the mean loss per word before and after. */
async function fit(model: Captioner, batch: ReturnType<typeof batchOf>, steps: number): Promise<[number, number]> {
  const optimizer = tf.train.adam(0.03);
  const trained = Object.entries(model.weights)
    .filter(([name]) => !model.frozen?.includes(name))
    .map(([, w]) => w as tf.Variable);
  const meanLoss = () =>
    tf.tidy(() => {
      const { sum, weight } = model.loss(batch, { training: true, seed: 1 });
      return tf.div(sum, weight) as tf.Scalar;
    });
  const read = () => tf.tidy(() => meanLoss().dataSync()[0]!);
  const first = read();
  for (let i = 0; i < steps; i++) optimizer.minimize(meanLoss, true, trained)?.dispose();
  const last = read();
  optimizer.dispose();
  return [first, last];
}

describe('the captioner', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    kit = await createKit({
      backend: 'cpu',
      progress: silentProgress(),
      seed: 1,
      plugins: [captioner(), cnnFeatures(), lenet5(), lstm(), rnnLm(), toyEncoderPlugin()],
    });
  });

  it("takes a third party's encoder by name and learns where things are: captions of toy scenes after 150 steps", async () => {
    const model = await make(toy);
    const { images, captions } = toyScenes(64);
    const batch = batchOf(images, captions);
    const [first, last] = await fit(model, batch, 150);
    expect(first).toBeGreaterThan(1);
    expect(last).toBeLessThan(0.1);
    const { tokens } = await model.caption(images);
    const right = tokens.filter((t, i) => JSON.stringify(t) === JSON.stringify(captions[i])).length;
    expect(right / captions.length).toBeGreaterThanOrEqual(0.9);
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it("weighs the grid's positions with attention that sums to one per word, in training and in decoding", async () => {
    const model = await make({ ...toy, vocabularySize: TOY_VOCABULARY });
    const { images, captions } = toyScenes(5, 3);
    const batch = batchOf(images, captions);
    const { attention, logits } = model.run(batch.images, batch.targetInput);
    expect(attention!.shape).toEqual([5, batch.targetInput.shape[1], 4]);
    expect(logits.shape).toEqual([5, batch.targetInput.shape[1], TOY_VOCABULARY]);
    tf.sum(attention!, 2)
      .dataSync()
      .forEach((total) => expect(total).toBeCloseTo(1, 5));
    const decoded = await model.caption(images, { beam: 3, maxLength: 4 });
    for (const rows of decoded.attention) for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    tf.dispose([attention!, logits, ...Object.values(batch)]);
    model.dispose();
  });

  it('leaves no tensor behind: loss with gradients, a step, greedy and beam captions, and refused input', async () => {
    const model = await make(toy);
    const { images, captions } = toyScenes(4, 5);
    const batch = batchOf(images, captions);
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => model.loss(batch, { training: true, seed: 2 }).sum));
      tf.dispose([value, ...Object.values(grads)]);
    }, 'a loss and its gradients');
    await expectNoLeaks(() => tf.dispose(Object.values(model.metrics(batch)).flatMap((m) => [m.sum, m.weight])), 'metrics');
    await expectNoLeaks(() => {
      const state = model.initialState({ images });
      const tokens = tf.fill([4], START, 'int32') as tf.Tensor1D;
      const { logits, state: next, attention } = model.step(tokens, state);
      // The annotations pass through the step as the same tensors: free each once.
      tf.dispose([...new Set([tokens, ...state, ...next, logits, attention!])]);
    }, 'a decoding step');
    await expectNoLeaks(() => model.caption(images), 'greedy captions');
    await expectNoLeaks(() => model.caption(images, { beam: 2, maxLength: 3 }), 'beam captions');
    const wrong = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const words = batch.targetInput.slice([0, 0], [2, -1]) as tf.Tensor2D;
    await expectNoLeaks(() => expect(() => model.run(wrong, words)).toThrow(ShapeError), 'refused images');
    await expectNoLeaks(
      () => expect(model.caption(wrong)).rejects.toThrow(/expects images of shape \(batch, 16, 16, 1\), got \[2,28,28,1\]/),
      'refused images to caption',
    );
    tf.dispose([wrong, words]);
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('keeps a frozen encoder as it is while the decoder learns', async () => {
    const model = await make({ ...toy, freezeEncoder: true });
    expect(model.frozen).toEqual(['encoder/kernel']);
    const before = model.weights['encoder/kernel']!.dataSync().slice();
    const { images, captions } = toyScenes(16, 9);
    const batch = batchOf(images, captions);
    await fit(model, batch, 3);
    expect(model.weights['encoder/kernel']!.dataSync()).toEqual(before);
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it("builds cnn-features/conv3 for the images' size (a 14×14 grid of 64 on 56×56) and takes lenet5/features' vector as one position", async () => {
    const scenes = await make({ vocabularySize: 10 });
    expect(scenes.grid).toMatchObject({ rows: 14, columns: 14, positions: 196, depth: 64 });
    expect(scenes.grid.field.stride).toBe(4);
    expect(Object.keys(scenes.weights).filter((name) => name.startsWith('encoder/'))).toEqual([
      'encoder/conv1/kernel',
      'encoder/conv1/bias',
      'encoder/conv2/kernel',
      'encoder/conv2/bias',
      'encoder/conv3/kernel',
      'encoder/conv3/bias',
    ]);
    scenes.dispose();
    const vector = await make({
      vocabularySize: 10,
      imageHeight: 28,
      imageWidth: 28,
      encoder: 'lenet5/features',
      units: 8,
      embedding: 4,
      attentionUnits: 4,
    });
    expect(vector.grid).toMatchObject({ positions: 1, depth: 120 });
    const images = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const { attention } = await vector.caption(images, { maxLength: 3 });
    for (const row of attention.flat()) expect(row).toEqual([1]);
    images.dispose();
    vector.dispose();
  });

  it('refuses an encoder built for other images, and leaves no variable behind', async () => {
    const before = tf.memory().numTensors;
    await expect(make({ vocabularySize: 10, encoder: 'lenet5/features' })).rejects.toThrow(
      /lenet5\/features' takes images of shape \[28,28,1\], but the captioner's are \[56,56,1\]/,
    );
    await expect(make({ vocabularySize: 10, encoder: 'lenet5/features' })).rejects.toBeInstanceOf(ConfigError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without attention, reads the whole grid once into its initial state and returns no attention', async () => {
    const model = await make({ ...toy, attention: 'none' });
    expect(model.weights['init/0/kernel']!.shape).toEqual([4 * 4, 16]);
    const { images } = toyScenes(2);
    const { attention } = await model.caption(images, { maxLength: 3 });
    expect(attention).toEqual([[], []]);
    images.dispose();
    model.dispose();
  });
});
