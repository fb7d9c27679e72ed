import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, ShapeError, field } from '@nnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { padFrames, speechBatches, speechTranscripts } from './index.js';
import { oneLetterRecognizer, speechCorpus } from './tiny.fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ENDS = { startId: 1, endId: 2, featureSize: 3 };

describe('tasks/speech-transcripts', () => {
  it('fills featureSize and targetVocabularySize from the corpus, and refuses a model whose frames differ', () => {
    const corpus = speechCorpus();
    const schema = {
      featureSize: field.integer({ default: 40, description: 'values per frame' }),
      targetVocabularySize: field.integer({ default: 4, description: 'symbols' }),
    };
    expect(speechTranscripts.configFrom(corpus, schema)).toEqual({ featureSize: 3, targetVocabularySize: 6 });
    expect(() => speechTranscripts.check!(corpus, { featureSize: 40, targetVocabularySize: 6 }, { model: 'm', dataset: 'd' })).toThrow(
      /featureSize 3 .*got featureSize 40 \(d has 3 values per frame\)/,
    );
  });

  it('batches padded frames with their mask and targets, sorted by length so that each batch is of similar utterances', () => {
    const corpus = speechCorpus();
    const { train, validation, settings } = speechTranscripts.trainingData(corpus, { batchSize: 3 });
    expect(settings).toEqual({ batchSize: 3 });
    expect(validation).toBeDefined();
    const source = train as ReturnType<typeof speechBatches>;
    expect(source.batchesPerEpoch).toBe(3);
    const seen: number[] = [];
    for (let index = 0; index < source.batchesPerEpoch; index++) {
      const batch = source.batch(0, index, 7);
      const lengths = (batch.frameMask!.sum(1).arraySync() as number[]).map(Math.round);
      expect(batch.frames!.shape).toEqual([lengths.length, Math.max(...lengths), 3]);
      // Runs of the length-sorted utterances: 2–4, 5–7 and 8 frames.
      seen.push(Math.min(...lengths));
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(2);
      expect(batch.targetInput!.shape[0]).toBe(lengths.length);
      tf.dispose(Object.values(batch));
    }
    expect(seen.sort((a, b) => a - b)).toEqual([2, 5, 8]);
  });

  it('pads with zeros and masks exactly the real frames', () => {
    const corpus = speechCorpus();
    const { frames, frameMask } = padFrames(corpus.train.slice(0, 2), 3);
    expect(frameMask.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect((frames.arraySync() as number[][][])[0]![2]).toEqual([0, 0, 0]);
    tf.dispose([frames, frameMask]);
    expect(() => padFrames([{ frames: new Float32Array(5), frameCount: 2 }], 3)).toThrow(ShapeError);
  });

  it('refuses an empty training split and utterances without frames', () => {
    const corpus = speechCorpus();
    expect(() => speechTranscripts.trainingData({ ...corpus, train: [] }, { batchSize: 2 })).toThrow(DataError);
    expect(() => speechBatches([{ frames: new Float32Array(0), frameCount: 0, targets: [[4]] }], { batchSize: 1, ...ENDS })).toThrow(
      ConfigError,
    );
  });

  it('scores by transcribing: exact match and character error rate, outputs and attention kept in order', async () => {
    const corpus = speechCorpus();
    const heard: number[] = [];
    const outputs = { outputs: [] as number[][], attention: [] as number[][][] };
    const scores = await speechTranscripts.evaluate(oneLetterRecognizer(heard), corpus, 'test', { kit: undefined as never, outputs });
    // The test utterances say 'a', 'aa', 'aaa'; every transcript is 'a': one of three right, 3 errors in 6 letters.
    expect(scores.exact_match).toBeCloseTo(1 / 3, 6);
    expect(scores.character_error_rate).toBeCloseTo(3 / 6, 6);
    expect(outputs.outputs).toEqual([[4], [4], [4]]);
    expect(heard).toEqual([3]);
    expect(speechTranscripts.splits(corpus)).toEqual(['train', 'validation', 'test']);
    expect(speechTranscripts.splitSize!(corpus, 'test')).toEqual({ count: 3, unit: 'utterances', field: 'examples' });
  });

  it('keeps the vocabulary and the feature settings with a saved model', () => {
    const extras = speechTranscripts.saveExtras!(speechCorpus());
    expect(extras.features).toEqual({ sampleRate: 16_000, bands: 3 });
    expect(extras.vocabulary).toEqual(['<pad>', '<s>', '</s>', '<unk>', 'a', 'b']);
    expect(extras.separator).toBe('');
  });
});
