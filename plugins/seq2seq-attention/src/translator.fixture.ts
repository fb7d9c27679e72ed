// What the translator's tests share: synthetic digit strings to reverse or copy, tiny configs, and a batch padded
// further. Both vocabularies hold the four ids every SymbolVocabulary fixes (<pad> 0, <s> 1, </s> 2, <unk> 3) and the
// digits 0–9 as ids 4–13.
import * as tf from '@tensorflow/tfjs';
import { SEQUENCE_ENDS, mulberry32, seededRandom, type Batch, type Kit, type SequencePair } from '@nnkit/core';
import { padPairs } from '@nnkit/train';
import type { TranslatorConfig } from './config.js';
import { createTranslator } from './translator.js';

export const DIGIT_VOCABULARY = 14;
export const pairIds = SEQUENCE_ENDS;

/** `count` random digit strings of minLength … maxLength digits, each paired with its reverse (or itself). */
export function digitPairs(
  count: number,
  seed: number,
  { minLength = 3, maxLength = 6, task = 'reverse' as 'reverse' | 'copy' } = {},
): SequencePair[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
    const source = Array.from({ length }, () => 4 + Math.floor(random() * 10));
    return { source, target: task === 'reverse' ? [...source].reverse() : [...source] };
  });
}

/** A tiny translator config over the digits: 8 units, embedding 6, one bidirectional LSTM layer, Bahdanau attention. */
export function tinyConfig(overrides: Partial<TranslatorConfig> = {}): TranslatorConfig {
  return {
    sourceVocabularySize: DIGIT_VOCABULARY,
    targetVocabularySize: DIGIT_VOCABULARY,
    cell: 'lstm/lstm',
    encoderCell: '',
    decoderCell: '',
    embedding: 6,
    units: 8,
    encoderLayers: 1,
    decoderLayers: 1,
    bidirectional: true,
    attention: 'bahdanau',
    inputFeeding: false,
    teacherForcing: 1,
    dropout: 0,
    ...overrides,
  };
}

/** Every attention kind, each in a shape that exercises something of its own. */
export const ATTENTION_VARIANTS: Readonly<Record<string, Partial<TranslatorConfig>>> = {
  bahdanau: { attention: 'bahdanau', bidirectional: true },
  'luong-dot': { attention: 'luong-dot', bidirectional: false },
  'luong-general, 2-layer encoder': { attention: 'luong-general', bidirectional: true, encoderLayers: 2 },
  'luong-general, input feeding, 2-layer decoder': { attention: 'luong-general', inputFeeding: true, decoderLayers: 2 },
};

/** Whatever makes recurrent cells by name: the tests pass a Kit with the LSTM plugin loaded (plugins meet through the registry). */
export type CellMaker = Pick<Kit, 'createCell'>;

/** The tiny translator, its cells (`lstm/lstm` unless overridden) asked of `cells` by name. */
export function tinyTranslator(cells: CellMaker, overrides: Partial<TranslatorConfig> = {}, seed = 7) {
  const random = seededRandom(seed);
  return createTranslator(
    tinyConfig(overrides),
    (name, options) => cells.createCell(name, options),
    (label) => random.derive(label),
  );
}

/** Pairs of different lengths, so that the batch has padding in both the sources and the targets. */
export function paddedBatch(
  pairs: readonly SequencePair[] = [
    { source: [4, 5, 6, 7, 8], target: [8, 7, 6, 5, 4] },
    { source: [9, 10], target: [10, 9] },
    { source: [11, 12, 13], target: [13, 12, 11] },
  ],
) {
  return padPairs(pairs, pairIds);
}

/** `batch` with `extra` more columns of padding in every tensor: pad ids 0, masks 0. */
export function padFurther(batch: Batch, extra: number): Batch {
  return tf.tidy(() =>
    Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.concat([t, tf.zeros([t.shape[0]!, extra], t.dtype)], 1)])),
  );
}

/** Source lengths of a padded batch, read from its mask. */
export async function realLengths(batch: Batch): Promise<number[]> {
  return (await batch.sourceMask!.sum(1).array()) as number[];
}
