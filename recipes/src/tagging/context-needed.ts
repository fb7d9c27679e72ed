import type { EncodedSentence, TaggingVocabulary } from '@nnkit/plugin-pos-tagging';

/**
 * How much tagged context a decision needs, measured on the training sentences: the shortest history of gold tags
 * that, together with the word, settles its tag in training (one tag in at least 95% of at least 2 occurrences).
 *   0: the word alone (`the`, `whale`)
 *   1: the word and the previous tag: what a bigram HMM's transition and emission see at once
 *   2: the word and the two previous tags: beyond one Markov step
 *   3: not settled by two tags: the word stays ambiguous after them in training, OR that word with those tags was
 *      seen fewer than 2 times there, so training cannot tell (a rare context, not necessarily a hard one)
 * Level 1 and 2 likewise need their context seen twice: a word of level 2 or 3 may simply sit in a context rare in
 * Moby Dick. Words without an id of their own (unseen, or too rare in training) are counted apart: their class (`-ing`)
 * is the only clue the word gives. The measure uses the test sentence's gold tags as the context, as an oracle would.
 */
export const CONTEXT_LEVELS = ['the word alone', '+ previous tag', '+ two previous tags', 'more context, or too rare to tell'] as const;

const DECIDES = 0.95;
const MIN_SEEN = 2;

type Counts = Map<string, Map<number, number>>;

function add(counts: Counts, key: string, tag: number): void {
  const row = counts.get(key) ?? new Map<number, number>();
  row.set(tag, (row.get(tag) ?? 0) + 1);
  counts.set(key, row);
}

function decides(row: Map<number, number> | undefined): boolean {
  if (!row) return false;
  const values = [...row.values()];
  const total = values.reduce((a, b) => a + b, 0);
  return total >= MIN_SEEN && Math.max(...values) / total >= DECIDES;
}

/** The keys of a word with 0, 1 and 2 previous tags at position t (`-1` before the sentence). */
function keys(sentence: EncodedSentence, t: number): [string, string, string] {
  const word = sentence.tokens[t]!;
  const [before, twoBefore] = [sentence.tags[t - 1] ?? -1, sentence.tags[t - 2] ?? -1];
  return [`${word}`, `${before} ${word}`, `${twoBefore} ${before} ${word}`];
}

/**
 * A function giving each test word its context level (0–3 as above), or `unseen` for a word without an id of its own,
 * from counts over `training`.
 */
export function contextLevels(
  training: readonly EncodedSentence[],
  vocabulary: TaggingVocabulary,
): (sentence: EncodedSentence, t: number) => number | 'unseen' {
  const counts: [Counts, Counts, Counts] = [new Map(), new Map(), new Map()];
  for (const sentence of training) {
    sentence.tags.forEach((tag, t) => keys(sentence, t).forEach((key, k) => add(counts[k]!, key, tag)));
  }
  return (sentence, t) => {
    if (sentence.tokens[t]! < vocabulary.firstWord) return 'unseen';
    const level = keys(sentence, t).findIndex((key, k) => decides(counts[k]!.get(key)));
    return level === -1 ? 3 : level;
  };
}

/**
 * Per context level: how many words it holds, how many of them `predicted` (tags per sentence) got right, and their
 * accuracy (NaN for a level without words: pool levels by `right` and `words`, never by accuracy × words).
 */
export function accuracyByLevel(
  sentences: readonly EncodedSentence[],
  predicted: readonly (readonly number[])[],
  levelOf: (sentence: EncodedSentence, t: number) => number | 'unseen',
): { accuracy: number[]; words: number[]; right: number[] } {
  const [right, words] = [new Array<number>(CONTEXT_LEVELS.length).fill(0), new Array<number>(CONTEXT_LEVELS.length).fill(0)];
  sentences.forEach((sentence, s) =>
    sentence.tags.forEach((tag, t) => {
      const level = levelOf(sentence, t);
      if (level === 'unseen') return;
      words[level]! += 1;
      if (predicted[s]![t] === tag) right[level]! += 1;
    }),
  );
  return { accuracy: right.map((r, i) => r / words[i]!), words, right };
}
