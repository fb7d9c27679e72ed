import type { EncodedSentence } from '@nnkit/plugin-pos-tagging';

/**
 * The tagger with no context at all: each word id (a word, or an unseen word's class) gets the tag it had most often
 * in training, and an id never seen gets the most frequent tag overall. What any tagger that reads context must beat.
 */
export function mostFrequentTag(training: readonly EncodedSentence[]): (sentences: readonly EncodedSentence[]) => number[][] {
  const byWord = new Map<number, Map<number, number>>();
  const overall = new Map<number, number>();
  for (const sentence of training) {
    sentence.tokens.forEach((token, t) => {
      const tag = sentence.tags[t]!;
      const counts = byWord.get(token) ?? new Map<number, number>();
      counts.set(tag, (counts.get(tag) ?? 0) + 1);
      byWord.set(token, counts);
      overall.set(tag, (overall.get(tag) ?? 0) + 1);
    });
  }
  const argMax = (counts: Map<number, number>) => [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a))[0];
  const fallback = argMax(overall);
  const best = new Map([...byWord].map(([token, counts]) => [token, argMax(counts)]));
  return (sentences) => sentences.map((s) => s.tokens.map((token) => best.get(token) ?? fallback));
}
