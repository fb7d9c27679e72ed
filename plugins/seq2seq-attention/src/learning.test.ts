import * as tf from '@tensorflow/tfjs';
import { type BatchSource, type Kit, type SequencePair } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { sequencePairBatches, train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import seq2seq, { type Translator } from './index.js';
import { DIGIT_VOCABULARY, digitPairs, pairIds } from './translator.fixture.js';

const vocabularies = { sourceVocabularySize: DIGIT_VOCABULARY, targetVocabularySize: DIGIT_VOCABULARY };

/** The share of sources whose greedy translation is exactly their target. */
async function exactMatch(model: Translator, pairs: readonly SequencePair[]): Promise<number> {
  const { tokens } = await model.translate(pairs.map((pair) => pair.source));
  return tokens.filter((output, i) => output.join(' ') === pairs[i]!.target.join(' ')).length / pairs.length;
}

/** Adam at 0.02, the gradient clipped to norm 5: how every reversal here trains. */
function fit(model: Translator, data: BatchSource, { epochs, seed }: { epochs: number; seed: number }) {
  return train({ model, data, epochs, optimizer: { name: 'adam', learningRate: 0.02 }, clip: { norm: 5 }, seed });
}

describe('learning to reverse digit strings', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await createKit({ backend: 'cpu', progress: silentProgress(), seed: 1, plugins: [seq2seq(), rnnLm()] });
  });

  it('with attention, through train({ data: sequencePairBatches(…) }): high exact match on unseen strings of 3–6 digits', async () => {
    // The simple RNN (rnn-lm/simple) and dot attention: reversal needs the attention to walk the source backwards,
    // not a big cell, and on the cpu backend the simple cell's step is a third of the LSTM's.
    const { model } = await kit.createModel<Translator>('seq2seq/translator', {
      config: {
        ...vocabularies,
        cell: 'rnn-lm/simple',
        attention: 'luong-dot',
        bidirectional: false,
        units: 32,
        embedding: 16,
      },
    });
    const data = sequencePairBatches(digitPairs(960, 1), { ...pairIds, batchSize: 32 });
    const unseen = digitPairs(200, 99);
    const before = tf.memory().numTensors;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { history } = await fit(model, data, { epochs: 4, seed: 1 });
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu); // what this process used, whatever else the machine runs
    const exact = await exactMatch(model, unseen);
    console.log(
      `reversal with attention: exact match ${exact} on 200 unseen strings after ${history.length} epochs (${history.length * 30} steps), ${seconds.toFixed(1)} s of training (${((user + system) / 1e6).toFixed(1)} s of CPU)`,
    );
    // Measured: 0.95 with this seed (0.995 after 6 epochs), 0.93–0.98 with three others; 6 s of CPU (cpu backend).
    // Without attention the same model reaches 0.13 (0.25 at best within 6 epochs).
    expect(exact).toBeGreaterThanOrEqual(0.8);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 120_000);

  it('the bottleneck (no attention) and the attention model both build and train on the same data', async () => {
    const data = sequencePairBatches(digitPairs(256, 2), { ...pairIds, batchSize: 32 });
    for (const preset of ['bottleneck', 'dates']) {
      const { model } = await kit.createModel<Translator>('seq2seq/translator', {
        preset,
        config: { ...vocabularies, cell: 'rnn-lm/simple', units: 16, embedding: 8 },
      });
      const { history } = await fit(model, data, { epochs: 3, seed: 2 });
      const losses = history.map((epoch) => epoch.metrics.loss!);
      expect(losses.at(-1), preset).toBeLessThan(losses[0]!);
      expect(
        Object.keys(model.weights).some((name) => name.startsWith('attention/')),
        preset,
      ).toBe(preset !== 'bottleneck');
      model.dispose();
    }
  }, 120_000);
});
