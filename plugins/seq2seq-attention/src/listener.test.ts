import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { beamSearch, greedyDecode } from '@nnkit/decoding';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { beforeAll, describe, expect, it } from 'vitest';
import seq2seq, { joinNeighbours, LISTENER_PRESETS, type Listener } from './index.js';
import { TONE_BANDS, tinyListenerConfig, toneBatch, toneUtterances } from './listener.fixture.js';

let kit: Kit;
beforeAll(async () => {
  kit = await createKit({ backend: 'cpu', progress: silentProgress(), seed: 5, plugins: [seq2seq(), rnnLm(), lstm()] });
});

async function listener(overrides: Parameters<typeof tinyListenerConfig>[0] = {}): Promise<Listener> {
  return (await kit.createModel<Listener>('seq2seq/listener', { config: tinyListenerConfig(overrides) })).model;
}

const same = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('joinNeighbours', () => {
  it('puts steps 2t and 2t + 1 side by side, pads an odd time, and keeps a pair real where its first step is', () => {
    // (T 3, batch 1, I 2) with the second row's mask 1, 1, 0.
    const inputs = tf.tensor3d([[[1, 2]], [[3, 4]], [[5, 6]]]);
    const { inputs: joined, mask } = joinNeighbours(inputs, tf.tensor2d([[1, 1, 0]]));
    expect(joined.shape).toEqual([2, 1, 4]);
    expect(joined.arraySync()).toEqual([[[1, 2, 3, 4]], [[5, 6, 0, 0]]]);
    expect(mask.arraySync()).toEqual([[1, 0]]);
    tf.dispose([inputs, joined, mask]);
  });
});

describe('seq2seq/listener', () => {
  const utterances = toneUtterances(3, 1);

  it('encodes frames into one step per 2^layers frames, both directions joined, and decodes logits per target step', async () => {
    const model = await listener();
    const batch = toneBatch(utterances);
    const T = (batch.frames as tf.Tensor3D).shape[1];
    const encoded = model.encode(batch.frames as tf.Tensor3D, batch.frameMask as tf.Tensor2D);
    expect(model.reduction).toBe(4);
    expect(encoded.outputs.shape).toEqual([3, Math.ceil(T / 4), 16]);
    expect(encoded.mask.sum(1).arraySync()).toEqual(utterances.map((u) => Math.ceil(u.frameCount / 4)));
    const decoded = model.decode(encoded, batch.targetInput as tf.Tensor2D);
    const L = (batch.targetInput as tf.Tensor2D).shape[1];
    expect(decoded.logits.shape).toEqual([3, L, 14]);
    expect(decoded.attention!.shape).toEqual([3, L, Math.ceil(T / 4)]);
    tf.dispose([Object.values(batch), encoded.outputs, encoded.mask, encoded.finalStates.flat(), decoded.logits, decoded.attention!]);
    model.dispose();
  });

  it('is not changed by padding frames, at odd lengths too: each utterance alone and in a padded batch gives the same encoding, final states and loss', async () => {
    // Three halvings (one step per 8 frames) over lengths odd and even at each level. The projection's bias is not 0 and
    // the padded frames hold 9, so only the mask keeps them out of the pair that an odd length's last real step joins.
    const model = await listener({ encoderLayers: 3 });
    const bias = model.weights['listener/projection/bias'] as tf.Variable;
    tf.tidy(() => bias.assign(tf.fill(bias.shape, 0.5)));
    const cut = toneUtterances(4, 3, { minDigits: 4, maxDigits: 4 }).map((u, i) => {
      const frameCount = [27, 10, 19, 9][i]!;
      return { ...u, frames: u.frames.slice(0, frameCount * TONE_BANDS), frameCount };
    });
    const padded = toneBatch(cut, 40, 9);
    const b = model.encode(padded.frames as tf.Tensor3D, padded.frameMask as tf.Tensor2D);
    const loss = (batch: typeof padded) => tf.tidy(() => model.loss(batch, { training: false }).sum.dataSync()[0]!);
    let lossAlone = 0;
    cut.forEach((u, row) => {
      const alone = toneBatch([u]);
      const a = model.encode(alone.frames as tf.Tensor3D, alone.frameMask as tf.Tensor2D);
      const steps = Math.ceil(u.frameCount / 8);
      expect(a.outputs.shape[1]).toBe(steps);
      expect(tf.tidy(() => tf.sum(tf.slice(b.mask, [row, 0], [1, -1])).dataSync()[0])).toBe(steps);
      expect(tf.tidy(() => same(a.outputs, tf.slice(b.outputs, [row, 0, 0], [1, steps, -1])))).toBeLessThan(1e-5);
      // Padding beyond the real steps is exactly zero, as attention's mask assumes.
      expect(tf.tidy(() => tf.sum(tf.abs(tf.slice(b.outputs, [row, steps, 0], [1, -1, -1]))).dataSync()[0])).toBe(0);
      a.finalStates
        .flat()
        .forEach((state, i) =>
          expect(tf.tidy(() => same(state, tf.slice(b.finalStates.flat()[i]!, [row, 0], [1, -1])))).toBeLessThan(1e-5),
        );
      lossAlone += loss(alone);
      tf.dispose([Object.values(alone), a.outputs, a.mask, a.finalStates.flat()]);
    });
    expect(loss(padded)).toBeCloseTo(lossAlone, 3);
    tf.dispose([Object.values(padded), b.outputs, b.mask, b.finalStates.flat()]);
    model.dispose();
  });

  it('sends a gradient to every weight, with attention and without', async () => {
    for (const attention of ['bahdanau', 'luong-general', 'none'] as const) {
      const model = await listener({ attention });
      const batch = toneBatch(utterances);
      const { grads } = tf.variableGrads(
        () => tf.tidy(() => model.loss(batch, { training: false }).sum),
        Object.values(model.weights) as tf.Variable[],
      );
      const dead = Object.entries(model.weights)
        .filter(([, w]) => tf.tidy(() => tf.sum(tf.abs(grads[(w as tf.Variable).name]!)).dataSync()[0]!) === 0)
        .map(([name]) => name);
      expect(dead, attention).toEqual([]);
      tf.dispose([Object.values(grads), Object.values(batch)]);
      model.dispose();
    }
  });

  it('leaks no tensor in loss, metrics or transcribe, and beam 1 equals greedy', async () => {
    const model = await listener();
    const batch = toneBatch(utterances);
    const before = tf.memory().numTensors;
    tf.dispose(Object.values(model.loss(batch, { training: true, seed: 3 })));
    tf.dispose(Object.values(model.metrics(batch)).flatMap((v) => Object.values(v)));
    const greedy = await model.transcribe(utterances.map((u) => u.frames));
    const beam = await model.transcribe(
      utterances.map((u) => u.frames),
      { beam: 1 },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(beam.tokens).toEqual(greedy.tokens);
    // One attention row per produced token, over the utterance's real encoder steps, summing to 1.
    greedy.attention.forEach((rows, i) =>
      rows.forEach((row) => {
        expect(row).toHaveLength(Math.ceil(utterances[i]!.frameCount / 4));
        expect(row.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 4);
      }),
    );
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('decodes through @nnkit/decoding as any IncrementalDecoder', async () => {
    const model = await listener();
    const { frames, frameMask } = toneBatch(utterances) as { frames: tf.Tensor3D; frameMask: tf.Tensor2D };
    const state = model.initialState({ frames, frameMask });
    const options = { start: 1, endToken: 2, maxLength: 6 };
    const greedy = await greedyDecode(model, state, options);
    const beam = await beamSearch(model, state, { ...options, beamWidth: 1 });
    expect(beam.map((row) => row[0]!.tokens)).toEqual(greedy.tokens);
    tf.dispose([frames, frameMask, ...state]);
    model.dispose();
  });

  it('refuses frames of another size, luong-dot, and input feeding without Luong attention', async () => {
    const model = await listener();
    const frames = tf.zeros([1, 8, 5]) as tf.Tensor3D;
    expect(() => model.encode(frames, tf.ones([1, 8]) as tf.Tensor2D)).toThrow(ShapeError);
    await expect(model.transcribe([new Float32Array(13)])).rejects.toThrow(/whole number \(≥ 1\) of 12-value frames, got 13/);
    frames.dispose();
    model.dispose();
    await expect(listener({ attention: 'luong-dot' })).rejects.toThrow(ConfigError);
    await expect(listener({ attention: 'bahdanau', inputFeeding: true })).rejects.toThrow(/inputFeeding expects attention 'luong-general'/);
  });

  it('has the las and bottleneck presets', () => {
    expect(LISTENER_PRESETS.bottleneck!.config.attention).toBe('none');
    expect(Object.keys(LISTENER_PRESETS)).toEqual(['las', 'bottleneck']);
  });
});
