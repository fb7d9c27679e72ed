import * as tf from '@tensorflow/tfjs';
import type { Metric, StreamModel } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import {
  bleu,
  exactMatch,
  generatedBatch,
  scoreSequences,
  sequenceErrorRate,
  sequenceMetrics,
  tokenErrorRate,
  wordErrorRate,
} from './generation-metrics.js';
import { perplexityMetric } from './metrics.js';
import type { TranslationModel } from './score-translations.js';
import { corpusBleu } from './sequence-metrics.js';

/** Runs metrics over generated batches of the given (hypotheses, references) splits, as evaluation does. */
async function run(metrics: readonly Metric[], batches: readonly [number[][], number[][][]][]): Promise<Record<string, number>> {
  const accumulators = metrics.map((metric) => ({ name: metric.name, accumulator: metric.start() }));
  for (const [hypotheses, references] of batches) {
    const batch = generatedBatch(hypotheses, references);
    for (const { accumulator } of accumulators)
      await accumulator.add(
        batch,
        {
          weights: {},
          loss: () => {
            throw new Error('no loss');
          },
        },
        { sum: 0, weight: 0 },
      );
    tf.dispose(Object.values(batch));
  }
  return Object.fromEntries(accumulators.map(({ name, accumulator }) => [name, accumulator.result()]));
}

describe('generation metrics', () => {
  it('add counts over batches, so that a split in two batches scores as it does in one (BLEU included)', async () => {
    const hypotheses = [
      [1, 2, 3],
      [4, 2, 3, 9],
      [1, 2],
      [5, 6, 7, 8],
    ];
    // Alternatives of different lengths, and one reference with none: the padding and the count of each must hold.
    const references = [
      [
        [1, 2, 3],
        [4, 2, 3],
      ],
      [[4, 2, 3]],
      [[1, 2, 3]],
      [[5, 6, 7, 8], [5, 6], [5]],
    ];
    const before = tf.memory().numTensors;
    const whole = await run(sequenceMetrics(), [[hypotheses, references]]);
    const split = await run(sequenceMetrics(), [
      [hypotheses.slice(0, 1), references.slice(0, 1)],
      [hypotheses.slice(1), references.slice(1)],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    expect(split).toEqual(whole);
    expect(whole).toEqual({
      exact_match: 2 / 4,
      sequence_error_rate: 2 / 4,
      token_error_rate: 2 / 13,
      bleu: corpusBleu(hypotheses, references),
    });
    expect(scoreSequences(hypotheses, references)).toMatchObject({
      exactMatch: 0.5,
      sequenceErrorRate: 0.5,
      tokenErrorRate: 2 / 13,
      count: 4,
    });
  });

  it('counts a sequence with an error, not 1 − exact match; and an empty split as 0', async () => {
    const values = await run(
      [exactMatch(), sequenceErrorRate(), tokenErrorRate(), bleu()],
      [
        [
          [[1], [2], [3]],
          [[[1]], [[1]], [[1]]],
        ],
      ],
    );
    expect(values.sequence_error_rate).toBe(2 / 3); // 1 − 1/3 is 0.6666666666666667
    expect(await run([exactMatch(), sequenceErrorRate(), tokenErrorRate()], [])).toEqual({
      exact_match: 0,
      sequence_error_rate: 0,
      token_error_rate: 0,
    });
  });

  it('measures the word error rate as an edit distance over words, at a word break or token by token', async () => {
    const SPACE = 0;
    // "a bc d" for "a bd d": one word of three wrong, however many characters are.
    const words = await run([wordErrorRate({ wordBreak: SPACE })], [[[[1, SPACE, 2, 3, SPACE, 4]], [[[1, SPACE, 2, 4, SPACE, 4]]]]]);
    expect(words.word_error_rate).toBeCloseTo(1 / 3);
    // Without a word break every token is a word: "the cat sat" for "the cat sat down" is one deletion of four.
    const tokens = await run([wordErrorRate(), tokenErrorRate()], [[[[7, 8, 9]], [[[7, 8, 9, 10]]]]]);
    expect(tokens.word_error_rate).toBe(1 / 4);
    expect(tokens.token_error_rate).toBe(1 / 4);
  });
});

describe('evaluate: one entry point', () => {
  it('decodes translations in batches and scores them with the sequence metrics, handing back the outputs', async () => {
    const copier: TranslationModel = { translate: async (sources) => ({ tokens: sources.map((s) => [...s]) }) };
    const examples = [
      { source: [4, 5], targets: [[4, 5]] },
      { source: [6], targets: [[7], [6]] },
      { source: [8, 9, 10], targets: [[8, 9]] },
    ];
    const outputs = { outputs: [] as number[][], attention: [] as number[][][] };
    const values = await evaluate(copier, { examples }, { batchSize: 2, outputs });
    expect(values).toMatchObject({ exact_match: 2 / 3, sequence_error_rate: 1 / 3, token_error_rate: 1 / 5 });
    expect(outputs.outputs).toEqual([[4, 5], [6], [8, 9, 10]]);
  });

  it('captions images in batches, each allowed twice its longest caption plus 10 words, up to a limit', async () => {
    const calls: { count: number; maxLength?: number }[] = [];
    // Reads each image's first pixel as the one word of its caption.
    const reader = {
      async caption(images: tf.Tensor4D, options?: { maxLength?: number }) {
        calls.push({
          count: images.shape[0],
          ...(options?.maxLength !== undefined && { maxLength: options.maxLength }),
        });
        const first = tf.tidy(() => images.reshape([images.shape[0], -1]).slice([0, 0], [-1, 1]));
        const firsts = (await first.data()) as Float32Array;
        first.dispose();
        return { tokens: [...firsts].map((v) => [Math.round(v * 10)]) };
      },
    };
    const images = { count: 3, pixels: new Float32Array([0.4, 0, 0.5, 0, 0.7, 0]), captions: [[4], [5, 6], [9]] };
    const before = tf.memory().numTensors;
    const values = await evaluate(
      reader,
      { images, imageShape: [1, 2, 1], limit: 3 },
      { batchSize: 2, metrics: [exactMatch(), wordErrorRate()] },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(calls).toEqual([
      { count: 2, maxLength: 14 },
      { count: 1, maxLength: 12 },
    ]);
    expect(values).toEqual({ exact_match: 1 / 3, word_error_rate: 2 / 4 }); // [5] for [5, 6]: one deletion; [7] for [9]: one substitution
    const two = await evaluate(reader, { images, imageShape: [1, 2, 1], limit: 2 }, { metrics: [exactMatch()] });
    expect(two.exact_match).toBe(1 / 2);
  });

  it('measures a StreamModel over whole streams, window by window, with metrics that hear each window', async () => {
    // A "model" whose loss per window is 2 nats per token, whatever the state: perplexity e².
    const model = {
      weights: {},
      loss: () => {
        throw new Error('unused');
      },
      initialState: (n: number) => [tf.zeros([n, 1])],
      runWindow: (batch: Record<string, tf.Tensor>, state: readonly tf.Tensor[]) => ({
        loss: { sum: tf.scalar(2 * batch.inputs!.size), weight: batch.inputs!.size },
        states: [[tf.add(state[0]!, 1)]],
      }),
    } as unknown as StreamModel;
    const streams = { xs: tf.zeros([2, 7], 'int32'), ys: tf.zeros([2, 7], 'int32') };
    const before = tf.memory().numTensors;
    const values = await evaluate(model, { streams, window: 3 }, { metrics: [perplexityMetric()] });
    expect(tf.memory().numTensors).toBe(before);
    expect(values.loss).toBe(2);
    expect(values.perplexity).toBeCloseTo(Math.exp(2));
    tf.dispose([streams.xs, streams.ys]);
  });
});

describe('accuracyMetric', () => {
  it('is the accuracy the model reports itself, over a split in batches of any size', async () => {
    const { circlesData, mlp } = await import('./mlp.fixture.js');
    const { accuracyMetric } = await import('./metrics.js');
    const data = circlesData(100);
    const model = mlp(3);
    const before = tf.memory().numTensors;
    const values = await evaluate(model, data.validation!, { batchSize: 7, metrics: [accuracyMetric()] });
    expect(tf.memory().numTensors).toBe(before);
    expect(values.accuracy).toBe((await evaluate(model, data.validation!)).accuracy);
    await expect(evaluate({ ...model, predict: undefined } as never, data.validation!, { metrics: [accuracyMetric()] })).rejects.toThrow(
      /a model without predict/,
    );
    model.dispose!();
    data.dispose();
  });
});
