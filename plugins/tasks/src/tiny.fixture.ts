import * as tf from '@tensorflow/tfjs';
import { RESERVED_TOKENS, UNK_ID } from '@nnkit/core';
import type {
  Batch,
  ImageCaptionCorpus,
  SequencePairCorpus,
  StreamModel,
  SupervisedData,
  SymbolVocabulary,
  TokenCorpus,
  TrainableModel,
} from '@nnkit/core';
import type { ImageCaptionerModel } from './captioned-images.js';
import type { SequenceTranslator } from './sequence-pairs.js';
import type { SpeechRecognizer, TranscribedSpeechCorpus } from './speech-transcripts.js';

/** Ids 0–3 reserved as every nnkit vocabulary has them, then `symbols`. */
export function vocabulary(symbols: readonly string[]): SymbolVocabulary {
  const tokens = [...RESERVED_TOKENS, ...symbols];
  const id = (token: string) => (tokens.includes(token) ? tokens.indexOf(token) : 3);
  return {
    tokens,
    id,
    encode: (list) => list.map(id),
    decode: (ids) => ids.map((i) => tokens[i] ?? RESERVED_TOKENS[UNK_ID]),
  };
}

/** Eight 2×2 grey images in three classes, with a validation split and no test split. */
export function labelledData(): SupervisedData {
  const split = (count: number) => ({
    xs: tf.tensor4d(
      Array.from({ length: count * 4 }, (_, i) => (i % 7) / 7),
      [count, 2, 2, 1],
    ),
    ys: tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: count }, (_, i) => i % 3),
          'int32',
        ),
        3,
      )
      .toFloat(),
  });
  const train = split(8);
  const validation = split(4);
  return { train, validation, dispose: () => tf.dispose([train.xs, train.ys, validation.xs, validation.ys]) };
}

/** 1 2 3 4 0 1 2 3 4 … over five symbols. */
export function tokenCorpus(): TokenCorpus {
  const ids = (length: number) => Int32Array.from({ length }, (_, i) => i % 5);
  return { train: ids(400), validation: ids(100), vocabulary: { tokens: ['a', 'b', 'c', 'd', 'e'] } };
}

/** Copy a string of letters: the target is the source. */
export function pairCorpus(validation = 3): SequencePairCorpus {
  const letters = vocabulary(['a', 'b', 'c']);
  const example = (i: number) => {
    const source = [4 + (i % 3), 4 + ((i + 1) % 3), 4 + ((i + 2) % 3)].slice(0, 1 + (i % 3));
    return { source, targets: [source] };
  };
  return {
    kind: 'sequence-pairs',
    train: Array.from({ length: 10 }, (_, i) => example(i)),
    validation: Array.from({ length: validation }, (_, i) => example(i)),
    test: [],
    sourceVocabulary: letters,
    targetVocabulary: letters,
    sourceSeparator: '',
    targetSeparator: '',
  };
}

/** 4×4 images, each captioned by the one word of its brightness. */
export function captionCorpus(): ImageCaptionCorpus {
  const words = vocabulary(['dark', 'light']);
  const split = (count: number) => ({
    count,
    pixels: Float32Array.from({ length: count * 16 }, (_, i) => Math.floor(i / 16) % 2),
    captions: Array.from({ length: count }, (_, i) => [4 + (i % 2)]),
  });
  return {
    kind: 'image-captions',
    imageShape: [4, 4, 1],
    train: split(6),
    validation: split(4),
    test: split(2),
    vocabulary: words,
    separator: ' ',
  };
}

/** A linear classifier of flattened inputs: a loss (summed cross-entropy over examples) and accuracy. */
export function linearClassifier(inputs = 4, classes = 3): TrainableModel & { dispose(): void } {
  const kernel = tf.variable(tf.randomNormal([inputs, classes], 0, 0.1, 'float32', 1), true, 'kernel');
  const bias = tf.variable(tf.zeros([classes]), true, 'bias');
  const logits = (batch: Batch) => tf.add(tf.matMul(tf.reshape(batch.inputs!, [-1, inputs]), kernel), bias);
  return {
    weights: { kernel, bias },
    loss: (batch) => ({
      sum: tf.losses.softmaxCrossEntropy(batch.targets!, logits(batch), undefined, undefined, tf.Reduction.SUM) as tf.Scalar,
      weight: batch.targets!.shape[0]!,
    }),
    metrics: (batch) => ({
      accuracy: {
        sum: tf.sum(tf.cast(tf.equal(tf.argMax(logits(batch), 1), tf.argMax(batch.targets!, 1)), 'float32')),
        weight: batch.targets!.shape[0]!,
      },
    }),
    dispose: () => tf.dispose([kernel, bias]),
  };
}

/** A bigram language model with a state that carries nothing: enough for the stream task's calls. */
export function bigramModel(tokens = 5): StreamModel & { dispose(): void } {
  const table = tf.variable(tf.zeros([tokens, tokens]), true, 'table');
  const lossOf = (batch: Batch, lossSteps: number) =>
    tf.tidy(() => {
      const steps = batch.inputs!.shape[1]!;
      const from = steps - lossSteps;
      const inputs = batch.inputs!.slice([0, from], [-1, lossSteps]).flatten();
      const targets = batch.targets!.slice([0, from], [-1, lossSteps]).flatten();
      const logits = tf.gather(table, inputs);
      const sum = tf.losses.softmaxCrossEntropy(tf.oneHot(targets, tokens), logits, undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
      return { sum, weight: inputs.shape[0]! };
    });
  return {
    weights: { table },
    initialState: (streams) => [tf.zeros([streams, 1])],
    runWindow: (batch, state, { lossSteps }) => ({
      loss: lossOf(batch, lossSteps),
      states: Array.from({ length: batch.inputs!.shape[1]! }, () => state.map((s) => s.clone())),
    }),
    loss: (batch) => lossOf(batch, batch.inputs!.shape[1]!),
    dispose: () => table.dispose(),
  };
}

/** A translator that copies its source: every copy task's exact answer. */
export function copyingTranslator(): SequenceTranslator {
  return {
    weights: {},
    loss: () => ({ sum: tf.scalar(0), weight: 1 }),
    translate: async (sources) => ({ tokens: sources.map((source) => [...source]) }),
  };
}

/** A captioner that calls every image `dark`: right on half of the caption corpus. */
export function darkCaptioner(): ImageCaptionerModel {
  return {
    weights: {},
    loss: () => ({ sum: tf.scalar(0), weight: 1 }),
    caption: async (images) => ({ tokens: Array.from({ length: images.shape[0] }, () => [4]) }),
  };
}

/** Utterances of 3 bands per frame, utterance i lasting 2 + i frames and saying 'a' i % 3 + 1 times. */
export function speechCorpus(validation = 2): TranscribedSpeechCorpus {
  const letters = vocabulary(['a', 'b']);
  const utterance = (i: number) => ({
    frames: Float32Array.from({ length: 3 * (2 + i) }, (_, k) => (k % 3) + i),
    frameCount: 2 + i,
    targets: [new Array<number>((i % 3) + 1).fill(4)],
  });
  return {
    train: Array.from({ length: 7 }, (_, i) => utterance(i)),
    validation: Array.from({ length: validation }, (_, i) => utterance(i)),
    test: Array.from({ length: 3 }, (_, i) => utterance(i)),
    featureSize: 3,
    features: { sampleRate: 16_000, bands: 3 },
    targetVocabulary: letters,
    targetSeparator: '',
  };
}

/** Transcribes every utterance as one 'a', whatever it heard, and counts how many frame arrays it was given. */
export function oneLetterRecognizer(heard: number[] = []): SpeechRecognizer {
  return {
    weights: {},
    loss: () => ({ sum: tf.scalar(0), weight: tf.scalar(1) }),
    transcribe: async (utterances) => {
      heard.push(utterances.length);
      return { tokens: utterances.map(() => [4]), attention: utterances.map(() => [[1]]) };
    },
  };
}
