import * as tf from '@tensorflow/tfjs';
import type { Kit, RecipeOptions, RecipeResult, RecipeRow, TaskDefinition } from '@nnkit/core';
import {
  encodeCorpus,
  logJoint,
  padSentences,
  scoreTagger,
  taggingAccuracy,
  type EncodedSentence,
  type HmmTagger,
  type SequenceTagger,
  type TaggedSentenceCorpus,
  type TaggingVocabulary,
} from '@nnkit/plugin-pos-tagging';
import { writeFigure, type Color } from '@nnkit/viz';
import { percent, figurePath, row } from './report.js';
import { recipeOf } from './recipe-of.js';
import { taskOf } from './task-of.js';
import { mostFrequentTag } from './tagging/baseline.js';
import { accuracyByLevel, contextLevels, CONTEXT_LEVELS } from './tagging/context-needed.js';
import { fitRecurrentTagger, type TaggerSetting } from './tagging/fit-tagger.js';
import { coarseTag, contextFigure, statesFigure, transitionFigure } from './tagging/figures.js';
import { pca2 } from './tagging/pca.js';

interface Setting {
  /** Moby Dick training sentences (all, when absent) and held-out ones (its test split, in domain). */
  readonly trainSentences?: number;
  readonly heldOutSentences: number;
  /** State of the Union test sentences (2010–2021): the other corpus. */
  readonly sotuSentences: number;
  /** Longer sentences are left out of every split. */
  readonly maxLength: number;
  readonly tagger: TaggerSetting;
  /** SOTU words whose hidden states the PCA picture shows. */
  readonly statesShown: number;
  /** Whether the comparisons are judged (✓/✗): the quick setting is too small to, and only reports them. */
  readonly judge: boolean;
}

// Full: every ≤ 40-token sentence of chapters 1–115 (≈ 5,500 sentences, 108,000 words), about 4 minutes on 2 cores.
const SETTINGS: Record<'quick' | 'full', Setting> = {
  quick: {
    trainSentences: 300,
    heldOutSentences: 60,
    sotuSentences: 150,
    maxLength: 30,
    tagger: { embedding: 16, units: 16, dropout: 0, epochs: 3, batchSize: 16, learningRate: 0.01 },
    statesShown: 500,
    judge: false,
  },
  full: {
    heldOutSentences: 700,
    sotuSentences: 1500,
    maxLength: 40,
    tagger: { embedding: 64, units: 64, dropout: 0.2, epochs: 6, batchSize: 32, learningRate: 0.005 },
    statesShown: 3000,
    judge: true,
  },
};

/** The recurrent taggers, each over a registered cell: the lecture's simple RNN, an LSTM, and an LSTM both ways. */
const RECURRENT = [
  { key: 'simple', name: 'simple RNN →', cell: 'rnn-lm/simple', bidirectional: false, color: [214, 39, 40] as Color },
  { key: 'lstm', name: 'LSTM →', cell: 'lstm/lstm', bidirectional: false, color: [255, 127, 14] as Color },
  { key: 'bilstm', name: 'BiLSTM ↔', cell: 'lstm/lstm', bidirectional: true, color: [31, 119, 180] as Color },
] as const;

const HMM_COLOR: Color = [44, 160, 44];
const BASELINE_COLOR: Color = [127, 127, 127];

interface Scored {
  readonly name: string;
  readonly color: Color;
  /** On the State of the Union test sentences, and on Moby Dick's own test chapters. */
  readonly sotu: { accuracy: number; unseenAccuracy: number; predicted: readonly (readonly number[])[] };
  readonly moby: { accuracy: number; unseenAccuracy: number };
  readonly seconds: number;
}

/** Accuracy of `predicted` over every word and over the words read as their class (unseen in training), with the tags. */
function accuracyOf(sentences: readonly EncodedSentence[], predicted: readonly (readonly number[])[], vocabulary: TaggingVocabulary) {
  return { ...taggingAccuracy(sentences, predicted, vocabulary), predicted };
}

async function scoreBoth(
  tagger: SequenceTagger,
  sotu: readonly EncodedSentence[],
  moby: readonly EncodedSentence[],
  vocabulary: TaggingVocabulary,
) {
  const onSotu = await scoreTagger(tagger, sotu, vocabulary);
  const onMoby = await scoreTagger(tagger, moby, vocabulary);
  return { sotu: onSotu, moby: { accuracy: onMoby.accuracy, unseenAccuracy: onMoby.unseenAccuracy } };
}

/** The `count` tags most frequent in training, most frequent first. */
function frequentTags(training: readonly EncodedSentence[], count: number): number[] {
  const counts = new Map<number, number>();
  for (const s of training) for (const tag of s.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .map(([tag]) => tag);
}

/** The first `limit` SOTU words' hidden states under `tagger`, projected on their top two principal components. */
async function projectStates(
  tagger: { states(tokens: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D },
  sentences: readonly EncodedSentence[],
  tagSet: readonly string[],
  limit: number,
) {
  const chosen: EncodedSentence[] = [];
  for (let words = 0; words < limit && chosen.length < sentences.length; words += sentences[chosen.length]!.tokens.length)
    chosen.push(sentences[chosen.length]!);
  const batch = padSentences(chosen);
  const states = tagger.states(batch.tokens as tf.Tensor2D, batch.mask as tf.Tensor2D); // (sentences, time, units)
  const [, time, units] = states.shape;
  const all = (await states.data()) as Float32Array;
  tf.dispose([states, ...Object.values(batch)]);
  const rows: number[] = [];
  const groups: string[] = [];
  chosen.forEach((s, i) =>
    s.tags.forEach((tag, t) => {
      rows.push(...all.subarray((i * time + t) * units, (i * time + t + 1) * units));
      groups.push(coarseTag(tagSet[tag]!));
    }),
  );
  const { x, y, explained } = pca2(Float32Array.from(rows), groups.length, units);
  return { points: groups.map((group, i) => ({ x: x[i]!, y: y[i]!, group })), explained, words: groups.length };
}

async function reproduceHmmVsRnn(kit: Kit, setting: Setting, seed: number, options: RecipeOptions): Promise<RecipeResult> {
  const { maxLength } = setting;
  // Data: silver Penn tags (wink-pos-tagger's, not a treebank's) on Moby Dick to train, the State of the Union to test.
  const moby = await kit.loadDataset<TaggedSentenceCorpus>('datasets/moby-dick-pos', {
    ...(setting.trainSentences !== undefined && { trainSentences: setting.trainSentences }),
    heldOutSentences: setting.heldOutSentences,
    maxLength,
  });
  const sotuCorpus = await kit.loadDataset<TaggedSentenceCorpus>('datasets/sotu-pos', {
    trainSentences: 1,
    heldOutSentences: setting.sotuSentences,
    maxLength,
  });
  const encoded = encodeCorpus(moby);
  const { vocabulary } = encoded;
  const sotu = encoded.encode(sotuCorpus.test);
  const trainWords = encoded.train.reduce((n, s) => n + s.tokens.length, 0);

  // The HMM: counts, then Viterbi.
  const task: TaskDefinition<TaggedSentenceCorpus, SequenceTagger> = taskOf(kit, 'pos/hmm');
  const hmmInstance = await kit.createModel<HmmTagger>('pos/hmm', {
    config: task.configFrom(moby, kit.registry.models.get('pos/hmm').config),
  });
  const hmmModel = hmmInstance.model;
  let started = performance.now();
  hmmModel.fit(encoded.train);
  const hmmSeconds = (performance.now() - started) / 1000;
  const hmm = hmmModel.hmm();
  const scored: Scored[] = [];
  const baseline = mostFrequentTag(encoded.train);
  scored.push({
    name: 'most frequent tag',
    color: BASELINE_COLOR,
    sotu: accuracyOf(sotu, baseline(sotu), vocabulary),
    moby: accuracyOf(encoded.test, baseline(encoded.test), vocabulary),
    seconds: 0,
  });
  scored.push({ name: 'HMM', color: HMM_COLOR, ...(await scoreBoth(hmmModel, sotu, encoded.test, vocabulary)), seconds: hmmSeconds });
  // Viterbi's answer must be at least as probable under the HMM as the gold tags: the decoder's own correctness.
  const hmmTags = scored[1]!.sotu.predicted;
  const viterbiHolds = sotu.filter((s, i) => logJoint(hmm, s.tokens, hmmTags[i]!) >= logJoint(hmm, s.tokens, s.tags) - 1e-6).length;

  // The recurrent taggers, on the same sentences.
  let simpleStates: Awaited<ReturnType<typeof projectStates>> | undefined;
  for (const spec of RECURRENT) {
    started = performance.now();
    const { instance } = await fitRecurrentTagger(
      kit,
      moby,
      { cell: spec.cell, bidirectional: spec.bidirectional, label: spec.name },
      setting.tagger,
      seed,
    );
    const seconds = (performance.now() - started) / 1000;
    scored.push({ name: spec.name, color: spec.color, ...(await scoreBoth(instance.model, sotu, encoded.test, vocabulary)), seconds });
    if (spec.key === 'simple') simpleStates = await projectStates(instance.model, sotu, moby.tagSet, setting.statesShown);
    instance.model.dispose!();
  }
  hmmModel.dispose!();

  // Accuracy by the context a tag needs, measured from the training counts.
  const levelOf = contextLevels(encoded.train, vocabulary);
  const byLevel = scored.map((s) => ({ ...s, levels: accuracyByLevel(sotu, s.sotu.predicted, levelOf) }));
  const wordsPerLevel = byLevel[0]!.levels.words;

  const figures = [
    await writeFigure(
      figurePath(options, 'hmm-vs-rnn', 'hmm-transitions.png'),
      await transitionFigure(hmm, moby.tagSet, frequentTags(encoded.train, 14), trainWords),
    ),
    await writeFigure(
      figurePath(options, 'hmm-vs-rnn', 'rnn-states-pca.png'),
      await statesFigure(simpleStates!.points, { model: 'simple RNN', explained: simpleStates!.explained, words: simpleStates!.words }),
    ),
    await writeFigure(
      figurePath(options, 'hmm-vs-rnn', 'accuracy-by-context.png'),
      await contextFigure(
        byLevel.map((s) => ({
          name: s.name,
          values: s.levels.accuracy,
          x: CONTEXT_LEVELS.map((_, i) => i),
          color: s.color,
          dashed: s.name === 'most frequent tag',
        })),
        wordsPerLevel,
        'State of the Union (trained on Moby Dick)',
      ),
    ),
  ];

  const find = (name: string) => byLevel.find((s) => s.name === name)!;
  const [base, hmmScore, simple, uni, bi] = ['most frequent tag', 'HMM', 'simple RNN →', 'LSTM →', 'BiLSTM ↔'].map(find) as [
    (typeof byLevel)[number],
    (typeof byLevel)[number],
    (typeof byLevel)[number],
    (typeof byLevel)[number],
    (typeof byLevel)[number],
  ];
  // The quick setting is too small to judge the comparisons: it reports them, its targets marked full run only.
  const judged = (ok: boolean) => (setting.judge ? ok : undefined);
  const claim = (target: string) => (setting.judge ? target : `${target} (full run only)`);
  // An empty group (no unseen words, no word needing two tags of context) has no accuracy: shown as —.
  const pct = (f: number) => (Number.isNaN(f) ? '—' : percent(f, 1));
  // The BiLSTM's lead over the HMM where the word alone decides, and at levels 2–3 (one previous tag does not settle it).
  // Pooled from counts: an empty level's accuracy is NaN, and NaN × 0 words would make the whole pool NaN.
  const pooled = (s: (typeof byLevel)[number], levels: number[]) =>
    levels.reduce((n, l) => n + s.levels.right[l]!, 0) / levels.reduce((n, l) => n + s.levels.words[l]!, 0);
  const leadNear = pooled(bi, [0]) - pooled(hmmScore, [0]);
  const leadFar = pooled(bi, [2, 3]) - pooled(hmmScore, [2, 3]);
  const points = (x: number) => (Number.isNaN(x) ? '— (no words)' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} points`);
  const rows: RecipeRow[] = [
    row(
      'SOTU: sentences where Viterbi’s tags are at least as probable under the HMM as the gold tags',
      `all ${sotu.length}`,
      `${viterbiHolds}`,
      viterbiHolds === sotu.length,
    ),
    row(
      'SOTU accuracy: HMM against the most frequent tag of each word (no context)',
      'HMM higher',
      `${pct(hmmScore.sotu.accuracy)} vs ${pct(base.sotu.accuracy)}`,
      hmmScore.sotu.accuracy > base.sotu.accuracy,
    ),
    ...scored.map((s) =>
      row(`accuracy of ${s.name}: SOTU test (Moby Dick test, in domain)`, '—', `${pct(s.sotu.accuracy)} (${pct(s.moby.accuracy)})`),
    ),
    ...scored.map((s) =>
      row(
        `accuracy on words unseen in training (or seen once: read by their class), ${s.name}: SOTU (Moby Dick)`,
        '—',
        `${pct(s.sotu.unseenAccuracy)} (${pct(s.moby.unseenAccuracy)})`,
      ),
    ),
    row(
      'SOTU, words unseen in training (or seen once): the bidirectional LSTM against the HMM',
      claim('BiLSTM higher'),
      `${pct(bi.sotu.unseenAccuracy)} vs ${pct(hmmScore.sotu.unseenAccuracy)}`,
      judged(bi.sotu.unseenAccuracy > hmmScore.sotu.unseenAccuracy),
    ),
    row(
      'SOTU, all words: the bidirectional LSTM against the HMM',
      claim('BiLSTM higher'),
      `${pct(bi.sotu.accuracy)} vs ${pct(hmmScore.sotu.accuracy)}`,
      judged(bi.sotu.accuracy > hmmScore.sotu.accuracy),
    ),
    row(
      'SOTU: the BiLSTM’s lead over the HMM where one previous tag does not settle the tag in training (ambiguous, or that context too rare there), against where the word alone decides',
      claim('larger'),
      `${points(leadFar)} vs ${points(leadNear)}`,
      judged(leadFar > leadNear),
    ),
    row(
      'SOTU, all words: the unidirectional simple RNN (left context only) against the HMM (Viterbi sees the whole sentence)',
      '—',
      `${pct(simple.sotu.accuracy)} vs ${pct(hmmScore.sotu.accuracy)}`,
    ),
    row('SOTU, all words: LSTM → against simple RNN →', '—', `${pct(uni.sotu.accuracy)} vs ${pct(simple.sotu.accuracy)}`),
    ...CONTEXT_LEVELS.map((level, i) =>
      row(
        `SOTU accuracy where the tag needs ${i}: ${level} (${wordsPerLevel[i]} words): HMM, simple RNN →, LSTM →, BiLSTM ↔`,
        '—',
        [hmmScore, simple, uni, bi].map((s) => pct(s.levels.accuracy[i]!)).join(', '),
      ),
    ),
  ];
  const sotuWords = sotu.reduce((n, s) => n + s.tokens.length, 0);
  const unseenShare = sotu.reduce((n, s) => n + s.tokens.filter((t) => t < vocabulary.firstWord).length, 0) / sotuWords;
  const better = (a: number, b: number) => (a > b ? 'beats' : 'does not beat');
  return {
    rows,
    figures,
    settings: {
      ...setting,
      seed,
      labels: moby.labels,
      trainWords,
      trainSentences: encoded.train.length,
      sotuSentences: sotu.length,
      mobyTestSentences: encoded.test.length,
    },
    summary:
      `Trained on ${trainWords.toLocaleString('en-US')} silver-tagged Moby Dick words, tested on State of the Union sentences (${pct(unseenShare)} of their words unseen in training or seen once there): ` +
      `the BiLSTM ${better(bi.sotu.accuracy, hmmScore.sotu.accuracy)} the HMM overall (**${pct(bi.sotu.accuracy)}** vs ${pct(hmmScore.sotu.accuracy)}) and ` +
      `${better(bi.sotu.unseenAccuracy, hmmScore.sotu.unseenAccuracy)} it on unseen words (**${pct(bi.sotu.unseenAccuracy)}** vs ${pct(hmmScore.sotu.unseenAccuracy)}); ` +
      `its lead where one previous tag does not settle the tag in training (ambiguous, or too rare there to tell) is ${points(leadFar)}, against ${points(leadNear)} where the word alone decides. ` +
      `Unidirectional: simple RNN ${pct(simple.sotu.accuracy)}, LSTM ${pct(uni.sotu.accuracy)}; most frequent tag ${pct(base.sotu.accuracy)}. ` +
      'Pictures: `hmm-transitions.png`, `rnn-states-pca.png`, `accuracy-by-context.png`',
    details: {
      taggers: Object.fromEntries(
        byLevel.map((s) => [
          s.name,
          {
            sotu: { accuracy: s.sotu.accuracy, unseenAccuracy: s.sotu.unseenAccuracy },
            moby: s.moby,
            byContext: s.levels.accuracy,
            seconds: s.seconds,
          },
        ]),
      ),
      wordsPerContextLevel: wordsPerLevel,
      contextLevels: CONTEXT_LEVELS,
      unseenShare,
      viterbiHolds,
    },
  };
}

/** The lecture's "А как же Hidden Markov Model?": an HMM's one-tag state against an RNN's state that reads the prefix. */
export const hmmVsRnn = recipeOf({
  name: 'hmm-vs-rnn',
  description:
    'POS tagging: an HMM (one tag of state, Viterbi) against simple RNN, LSTM and BiLSTM taggers; Moby Dick to train, State of the Union to test',
  reproduces:
    'An HMM’s hidden state is one POS tag (1st-order Markov); an RNN’s state carries the whole prefix, and read both ways it tags better, most of all unseen words and words that need more context.',
  settings: SETTINGS,
  seed: 11,
  reproduce: reproduceHmmVsRnn,
});
