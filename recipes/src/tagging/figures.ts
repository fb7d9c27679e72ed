import type { Hmm } from '@nnkit/plugin-pos-tagging';
import { heatmapFigure, lineFigure, vegaLiteFigure, type Color, type Figure, type LineSeries } from '@nnkit/viz';
import { CONTEXT_LEVELS } from './context-needed.js';

/**
 * The HMM's transition matrix p(S_t = column | S_{t−1} = row) over the `shown` most frequent tags (each row still a
 * distribution over all tags and the end, so a row of the picture sums to a little under 1).
 */
export function transitionFigure(hmm: Hmm, tagSet: readonly string[], shown: readonly number[], trainWords: number): Promise<Figure> {
  const values = shown.flatMap((from) => shown.map((to) => Math.exp(hmm.logTransition[from * hmm.states + to]!)));
  const names = shown.map((i) => tagSet[i]!);
  return heatmapFigure({
    title: 'The HMM’s hidden state: p(tag at t | tag at t − 1)',
    subtitle: [
      `counted from ${trainWords.toLocaleString('en-US')} silver-tagged Moby Dick words (add-k smoothed); the ${shown.length} most frequent Penn tags`,
      'all the HMM remembers of a sentence is the previous tag: each row is everything it knows when choosing the next one',
    ],
    values,
    rows: names,
    columns: names,
    x: { title: 'tag at t' },
    y: { title: 'tag at t − 1' },
    color: { title: 'probability', scheme: 'blues' },
    text: '.2f',
    cellSize: 34,
  });
}

/** Coarse classes of Penn tags, to colour a picture by (a dozen colours read; forty-odd do not). */
export const COARSE_TAGS: readonly (readonly [string, RegExp, Color])[] = [
  ['noun', /^NN/, [31, 119, 180]],
  ['verb', /^(VB|MD)/, [214, 39, 40]],
  ['adjective', /^JJ/, [44, 160, 44]],
  ['adverb', /^(RB|WRB)/, [148, 103, 189]],
  ['determiner', /^(DT|PDT|WDT)$/, [255, 127, 14]],
  ['preposition', /^(IN|TO|RP)$/, [140, 86, 75]],
  ['pronoun', /^(PRP|PRP\$|WP|WP\$|EX)$/, [227, 119, 194]],
  ['conjunction', /^CC$/, [188, 189, 34]],
  ['punctuation', /^([,.:]|-LRB-|-RRB-)$/, [127, 127, 127]],
  ['other', /./, [23, 190, 207]],
];

export function coarseTag(tag: string): string {
  return COARSE_TAGS.find(([, pattern]) => pattern.test(tag))![0];
}

/** The RNN's hidden states of test words on their top two principal components, each point coloured by its gold tag. */
export function statesFigure(
  points: readonly { x: number; y: number; group: string }[],
  { model, explained, words }: { model: string; explained: readonly [number, number]; words: number },
): Promise<Figure> {
  const groups = COARSE_TAGS.map(([name]) => name).filter((name) => points.some((p) => p.group === name));
  const colors = groups.map((g) => {
    const [r, gr, b] = COARSE_TAGS.find(([name]) => name === g)![2];
    return `rgb(${r},${gr},${b})`;
  });
  const percent = (f: number) => `${(100 * f).toFixed(0)}%`;
  return vegaLiteFigure({
    title: {
      text: `What the ${model}'s hidden state encodes: its states by gold tag`,
      subtitle: [
        `${words.toLocaleString('en-US')} State of the Union test words; each point one word's state s_t, projected on its top two principal components`,
        `(${percent(explained[0])} and ${percent(explained[1])} of the variance); the colours are the silver tags, which the network was never shown here`,
      ],
    },
    width: 520,
    height: 420,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'point', filled: true, size: 14, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'first principal component' },
      y: { field: 'y', type: 'quantitative', title: 'second principal component' },
      color: { field: 'group', type: 'nominal', title: 'gold tag (coarse)', scale: { domain: groups, range: colors } },
    },
  } as never);
}

/** Accuracy per context level (see context-needed.ts), one line per tagger. */
export function contextFigure(series: readonly LineSeries[], wordsPerLevel: readonly number[], testName: string): Promise<Figure> {
  return lineFigure({
    title: `${testName}: accuracy as the context a tag needs grows`,
    subtitle: [
      'x: the shortest gold-tag history that settles the word’s tag in training (one tag in ≥ 95% of its occurrences)',
      `0 the word alone, 1 + previous tag (a bigram HMM's reach), 2 + two tags, 3 more or too rare to tell; words: ${wordsPerLevel.map((n) => n.toLocaleString('en-US')).join(', ')}`,
    ],
    x: { title: 'context the tag needs', ticks: CONTEXT_LEVELS.map((_, i) => i), format: 'd' },
    y: { title: 'accuracy', format: '.0%' },
    legend: 'tagger',
    points: true,
    series,
  });
}
