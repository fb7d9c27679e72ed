import * as tf from '@tensorflow/tfjs';
import type { Batch, Metric, MetricAccumulator } from '@nnkit/core';
import { addToBleu, bleuCounts, bleuOf, checkReferences, closestReference, type SequenceScores } from './sequence-metrics.js';

/**
 * The metrics of generated sequences (exact match, error rates, BLEU) as `Metric`s. Evaluation hands them batches of
 * what a model generated next to what it should have: `generatedBatch(hypotheses, references)`, token ids padded with
 * −1, `hypotheses` (n, length), `references` (n, most accepted, length) and `accepted` (n), how many references each
 * has. Each adds counts over the split and divides at the end, as the corpus-level scores of the papers do.
 */

/** Marks positions past a sequence's end (and absent alternative references) in a generated batch. */
const PAD = -1;

export interface Generated {
  readonly hypotheses: readonly (readonly number[])[];
  readonly references: readonly (readonly (readonly number[])[])[];
}

/** A batch of generated sequences and their accepted references, for the metrics below. The caller disposes it. */
export function generatedBatch(hypotheses: readonly (readonly number[])[], references: readonly (readonly (readonly number[])[])[]): Batch {
  checkReferences(hypotheses, references, 'generatedBatch');
  const length = Math.max(1, ...hypotheses.map((h) => h.length), ...references.flat().map((r) => r.length));
  const accepted = Math.max(1, ...references.map((r) => r.length));
  const padded = (ids: readonly number[]) => [...ids, ...new Array<number>(length - ids.length).fill(PAD)];
  const none = new Array<number>(length).fill(PAD);
  return {
    hypotheses: tf.tensor2d(hypotheses.map(padded), [hypotheses.length, length], 'int32'),
    references: tf.tensor3d(
      references.map((options) => [...options.map(padded), ...new Array<number[]>(accepted - options.length).fill(none)]),
      [references.length, accepted, length],
      'int32',
    ),
    accepted: tf.tensor1d(
      references.map((options) => options.length),
      'int32',
    ),
  };
}

// One read per batch, shared by every metric that adds it (the batch object is the key, freed with the batch).
const read = new WeakMap<Batch, Promise<Generated>>();

/** The sequences of a generated batch, as arrays without padding (read once, whatever the number of metrics). */
export function readGenerated(batch: Batch): Promise<Generated> {
  let generated = read.get(batch);
  if (!generated) {
    generated = (async () => {
      const unpad = (ids: number[]) => (ids.includes(PAD) ? ids.slice(0, ids.indexOf(PAD)) : ids);
      const [hypotheses, references, accepted] = await Promise.all([
        batch.hypotheses!.array(),
        batch.references!.array(),
        batch.accepted!.data(),
      ]);
      return {
        hypotheses: (hypotheses as number[][]).map(unpad),
        references: (references as number[][][]).map((options, i) => options.slice(0, accepted[i]).map(unpad)),
      };
    })();
    read.set(batch, generated);
  }
  return generated;
}

/** Counts over the (hypothesis, accepted references) pairs of a split, and the score they give. */
interface SequenceCounter {
  add(hypothesis: readonly number[], references: readonly (readonly number[])[]): void;
  result(): number;
}

/** A named counter: a `Metric` over generated batches, and what `scoreSequences` counts with directly. */
interface SequenceMetric extends Metric {
  counter(): SequenceCounter;
}

function perSequence(name: string, counter: () => SequenceCounter): SequenceMetric {
  return {
    name,
    counter,
    start(): MetricAccumulator {
      const counts = counter();
      return {
        async add(batch) {
          const { hypotheses, references } = await readGenerated(batch);
          hypotheses.forEach((hypothesis, i) => counts.add(hypothesis, references[i]!));
        },
        result: () => counts.result(),
      };
    },
  };
}

/** What one (hypothesis, references) pair adds to a ratio's numerator and to its denominator. */
type PairShare = (hypothesis: readonly number[], references: readonly (readonly number[])[]) => readonly [part: number, whole: number];

/** A metric whose score is Σ part / Σ whole over the pairs of a split (0 while the whole is 0). */
function ratioMetric(name: string, share: PairShare): SequenceMetric {
  return perSequence(name, () => {
    let part = 0;
    let whole = 0;
    return {
      add(hypothesis, references) {
        const [pairPart, pairWhole] = share(hypothesis, references);
        part += pairPart;
        whole += pairWhole;
      },
      result: () => (whole === 0 ? 0 : part / whole),
    };
  });
}

/** The edits from the hypothesis to its closest reference, over that reference's length. */
function errorsOverClosest<T>(hypothesis: readonly T[], references: readonly (readonly T[])[]): [errors: number, referenceLength: number] {
  const { reference, distance } = closestReference(hypothesis, references);
  return [distance, reference.length];
}

/** The share of hypotheses equal to one of their references. */
export const exactMatch = (): SequenceMetric =>
  ratioMetric('exact_match', (hypothesis, references) => [closestReference(hypothesis, references).distance === 0 ? 1 : 0, 1]);

/**
 * The share of hypotheses with any error (not exactly one of their references). The G2P literature reports it as the
 * word error rate, each hypothesis being one word's pronunciation; for an edit distance over words, `wordErrorRate`.
 */
export const sequenceErrorRate = (): SequenceMetric =>
  ratioMetric('sequence_error_rate', (hypothesis, references) => [closestReference(hypothesis, references).distance > 0 ? 1 : 0, 1]);

/** Σ edit distance to the closest reference / Σ that reference's length: the phone error rate of G2P, the character error rate of digit strings. */
export const tokenErrorRate = (): SequenceMetric => ratioMetric('token_error_rate', errorsOverClosest);

/** Splits token ids into words at `wordBreak` (a space's id), each word a key; without it, every token is a word. */
function wordsOf(ids: readonly number[], wordBreak: number | undefined): string[] {
  if (wordBreak === undefined) return ids.map(String);
  const words: string[] = [];
  let word: number[] = [];
  for (const id of [...ids, wordBreak]) {
    if (id !== wordBreak) word.push(id);
    else if (word.length > 0) {
      words.push(word.join(' '));
      word = [];
    }
  }
  return words;
}

/**
 * The word error rate of speech recognition: Σ edit distance over words to the closest reference / Σ that
 * reference's words. For outputs whose tokens are words (captions) leave `wordBreak` out; for characters, give the
 * id of the space that separates words.
 */
export const wordErrorRate = ({ wordBreak }: { wordBreak?: number } = {}): SequenceMetric =>
  ratioMetric('word_error_rate', (hypothesis, references) =>
    errorsOverClosest(
      wordsOf(hypothesis, wordBreak),
      references.map((r) => wordsOf(r, wordBreak)),
    ),
  );

/** Corpus BLEU-4 (Papineni et al. 2002), in [0, 1]. */
export const bleu = (maxOrder = 4): SequenceMetric =>
  perSequence('bleu', () => {
    const counts = bleuCounts(maxOrder);
    return { add: (hypothesis, references) => addToBleu(counts, hypothesis, references), result: () => bleuOf(counts) };
  });

/** What G2P, translation and captioning report: exact match, sequence and token error rates, BLEU-4. */
export const sequenceMetrics = (): SequenceMetric[] => [exactMatch(), sequenceErrorRate(), tokenErrorRate(), bleu()];

/** The scores of `sequenceMetrics` under their names in `SequenceScores`, from the values evaluation returns. */
export function sequenceScores(values: Readonly<Record<string, number>>, count: number): SequenceScores {
  return {
    exactMatch: values.exact_match!,
    sequenceErrorRate: values.sequence_error_rate!,
    wordErrorRate: values.sequence_error_rate!,
    tokenErrorRate: values.token_error_rate!,
    bleu: values.bleu!,
    count,
  };
}

/**
 * Exact match, sequence and token error rates, and corpus BLEU of `hypotheses` against `references` (one list of
 * accepted references per hypothesis): the counters of `sequenceMetrics`, over sequences already in hand.
 */
export function scoreSequences(
  hypotheses: readonly (readonly number[])[],
  references: readonly (readonly (readonly number[])[])[],
): SequenceScores {
  checkReferences(hypotheses, references, 'scoreSequences');
  const values: Record<string, number> = {};
  for (const metric of sequenceMetrics()) {
    const counts = metric.counter();
    hypotheses.forEach((hypothesis, i) => counts.add(hypothesis, references[i]!));
    values[metric.name] = counts.result();
  }
  return sequenceScores(values, hypotheses.length);
}
