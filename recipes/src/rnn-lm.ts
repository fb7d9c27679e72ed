import { dirname } from 'node:path';
import type { Kit, OptimizerSpec, RecipeOptions, RecipeResult, RecipeRow } from '@nnkit/core';
import { joinTokens, loadMobyDick, type TextCorpus } from '@nnkit/datasets';
import { sample } from '@nnkit/plugin-rnn-lm';
import { saveModel } from '@nnkit/train';
import { lineFigure, writeFigure } from '@nnkit/viz';
import { fitLanguageModel, type LanguageModelRun } from './language/fit-language-model.js';
import { bestLambda, mixtureCrossEntropy, scoreTokens, scoreWithNgram } from './language/interpolation.js';
import { KneserNey } from './language/kneser-ney.js';
import { figurePath, nnkitCommand, row } from './report.js';
import { recipeOf } from './recipe-of.js';

type Level = 'word' | 'char';

interface ModelSetting {
  readonly config: Record<string, unknown>;
  readonly optimizer: OptimizerSpec;
  readonly clipNorm: number;
  readonly epochs: number;
  /** Parallel streams: the batch. Fewer streams, more updates per epoch. */
  readonly streams: number;
}

interface LevelSetting {
  /** n-gram orders tried; the one best on validation is the baseline. */
  readonly orders: readonly number[];
  readonly trainTokens?: number;
  /** The BPTT window (k1 = k2). */
  readonly window: number;
  readonly simple: ModelSetting;
  readonly lstm: ModelSetting;
  readonly prompt: string;
  readonly sampleLength: number;
  /** Validation and test tokens scored one by one for the interpolation (all of them when absent). */
  readonly scoredTokens?: number;
  /** A test score the LSTM is to reach besides the n-gram's (issue 25: 1.8 bits per character), in the level's measure. */
  readonly lstmTarget?: number;
}

/**
 * Words: SGD with the rate halved when validation stalls (Mikolov's schedule, in fitLanguageModel), the loss the mean
 * over tokens. The simple RNN at 2, clipped at global norm 0.5, over 16 streams: about 830 updates an epoch. Measured
 * here (2026-12-07, 6 epochs): at 1 with clipping at 0.25 and 32 streams it crept from 443 to 388 validation
 * perplexity in three epochs; at 5 (clip 1) and with Adam at 1e-3 or 2e-3 its validation perplexity leapt to 10³–10¹⁸
 * after an epoch while the training loss held (an earlier run traced such a leap to one of the evaluation's long
 * streams whose state saturated); at 2 it went 333, 253, 224, 206, 200, 179. The LSTM at 20, clipped at 0.25, as
 * PyTorch's word_language_model.
 * Characters: Adam at 2e-3 (char-rnn's default), clipping at 5, 32 streams of 50 characters. With 64 streams of 100
 * (a fourth of the updates) the 512-unit LSTM was at 2.71 bits per character on validation after two epochs; with
 * 32 of 50 at 2.31.
 */
const WORD_SIMPLE = { optimizer: { name: 'sgd', learningRate: 2 }, clipNorm: 0.5 } as const;
const WORD_LSTM = { optimizer: { name: 'sgd', learningRate: 20 }, clipNorm: 0.25 } as const;
const CHAR = { optimizer: { name: 'adam', learningRate: 2e-3 }, clipNorm: 5 } as const;

// Quick: half a minute. Full: about half an hour on this machine's 2 cores (native backend).
const SETTINGS: Record<'quick' | 'full', Record<Level, LevelSetting>> = {
  quick: {
    word: {
      orders: [2, 3],
      trainTokens: 12_000,
      window: 20,
      simple: { config: { units: 32, embedding: 32 }, ...WORD_SIMPLE, epochs: 1, streams: 16 },
      lstm: { config: { units: 32, embedding: 32, tieWeights: true }, ...WORD_LSTM, epochs: 1, streams: 16 },
      prompt: 'the whale',
      sampleLength: 20,
      scoredTokens: 2_000,
    },
    char: {
      orders: [3, 5],
      trainTokens: 40_000,
      window: 25,
      simple: { config: { units: 64 }, ...CHAR, epochs: 1, streams: 32 },
      lstm: { config: { units: 64, embedding: 32 }, ...CHAR, epochs: 1, streams: 32 },
      prompt: 'The whale',
      sampleLength: 80,
      scoredTokens: 4_000,
      lstmTarget: 1.8,
    },
  },
  full: {
    word: {
      orders: [2, 3, 4, 5],
      window: 35,
      simple: { config: { units: 200, embedding: 200 }, ...WORD_SIMPLE, epochs: 10, streams: 16 },
      lstm: { config: { units: 256, embedding: 256, tieWeights: true, dropout: 0.5 }, ...WORD_LSTM, epochs: 8, streams: 32 },
      prompt: 'the whale',
      sampleLength: 40,
    },
    char: {
      orders: [3, 5, 7, 9],
      window: 50,
      simple: { config: { units: 256 }, ...CHAR, epochs: 4, streams: 32 },
      lstm: { config: { units: 512, embedding: 64, dropout: 0.1 }, ...CHAR, epochs: 10, streams: 32 },
      prompt: 'The whale',
      sampleLength: 300,
      lstmTarget: 1.8,
    },
  },
};

const MEASURE = {
  word: { name: 'perplexity', of: (nats: number) => Math.exp(nats), format: (value: number) => value.toFixed(1) },
  char: {
    name: 'bits per character',
    of: (nats: number) => nats / Math.LN2,
    format: (value: number) => value.toFixed(3),
  },
};

function bestNgram(corpus: TextCorpus, orders: readonly number[]) {
  const size = corpus.vocabulary.tokens.length;
  const fits = orders.map((order) => {
    const model = new KneserNey(corpus.train, order, size);
    return { order, validation: model.crossEntropy(corpus.validation), model };
  });
  const best = fits.reduce((a, b) => (b.validation < a.validation ? b : a));
  return {
    order: best.order,
    validation: best.validation,
    test: best.model.crossEntropy(corpus.test),
    model: best.model,
  };
}

async function writeSample(run: LanguageModelRun, corpus: TextCorpus, setting: LevelSetting, seed: number): Promise<string> {
  const { vocabulary, level } = corpus;
  const promptTokens = level === 'word' ? setting.prompt.split(' ') : [...setting.prompt];
  const ids = await sample(run.instance.model, {
    prompt: promptTokens.map((t) => vocabulary.id(t)),
    length: setting.sampleLength,
    temperature: 0.8,
    seed,
    exclude: [vocabulary.id('<unk>')],
  });
  const tokens = [...promptTokens, ...vocabulary.decode(ids)];
  return joinTokens(tokens, level, ' ¶ ');
}

/**
 * Mixes recurrent models with the n-gram model token by token, the weight chosen on validation, scored on test. The
 * n-gram's probabilities are the same for every model (the same tokens, read in the same streams), so each split's
 * are computed once, for the first model mixed.
 */
function ngramMixer(ngram: KneserNey, corpus: TextCorpus, scoredTokens: number | undefined) {
  const part = (ids: Int32Array) => (scoredTokens ? ids.subarray(0, scoredTokens) : ids);
  const splits = { validation: part(corpus.validation), test: part(corpus.test) };
  const ngramScores = new Map<keyof typeof splits, Float64Array>();
  const score = (run: LanguageModelRun, split: keyof typeof splits) => {
    const recurrent = scoreTokens(run.instance.model, splits[split]);
    let scores = ngramScores.get(split);
    if (scores === undefined) ngramScores.set(split, (scores = scoreWithNgram(ngram, splits[split], recurrent.positions)));
    return { recurrent: recurrent.probabilities, ngram: scores };
  };
  return (run: LanguageModelRun) => {
    const validation = score(run, 'validation');
    const lambda = bestLambda(validation.recurrent, validation.ngram);
    const test = score(run, 'test');
    return {
      lambda,
      test: mixtureCrossEntropy(test.recurrent, test.ngram, lambda),
      recurrentTest: mixtureCrossEntropy(test.recurrent, test.ngram, 1),
      ngramTest: mixtureCrossEntropy(test.recurrent, test.ngram, 0),
    };
  };
}

async function reproduceLevel(kit: Kit, setting: LevelSetting, seed: number, options: RecipeOptions, level: Level) {
  const corpus = loadMobyDick({ level, ...(setting.trainTokens && { trainTokens: setting.trainTokens }) });
  const measure = MEASURE[level];
  const ngram = bestNgram(corpus, setting.orders);
  const fit = (key: string, model: ModelSetting, name: string) =>
    fitLanguageModel(kit, { key, ...model, corpus, window: setting.window, label: `${name} (${level})` });
  const simple = await fit('rnn-lm/lm', setting.simple, 'simple RNN');
  const lstm = await fit('lstm/lm', setting.lstm, 'LSTM');
  const mixWithNgram = ngramMixer(ngram.model, corpus, setting.scoredTokens);
  // Each model mixed with the n-gram: Mikolov et al.'s claim is about the simple RNN, and the mixture of the two.
  const runs = [
    { name: 'simple RNN', run: simple, setting: setting.simple, mixture: mixWithNgram(simple) },
    { name: 'LSTM', run: lstm, setting: setting.lstm, mixture: mixWithNgram(lstm) },
  ];
  const samples = await Promise.all(runs.map(async ({ name, run }) => ({ name, text: await writeSample(run, corpus, setting, seed) })));
  const saved = await saveModel(figurePath(options, 'rnn-lm', `lstm-${level}`), lstm.instance, {
    dataset: { key: 'datasets/moby-dick', options: { level } },
    vocabulary: corpus.vocabulary.tokens,
    metrics: { val_loss: lstm.validation, test_loss: lstm.test },
  });
  const curve = (run: LanguageModelRun) => run.validationCurve.map(measure.of);
  const figure = await writeFigure(
    figurePath(options, 'rnn-lm', `validation-${level}.png`),
    lineFigure({
      title: `Moby Dick, ${level === 'word' ? 'words' : 'characters'}: validation ${measure.name} after each epoch`,
      subtitle: `${corpus.train.length.toLocaleString('en-US')} training tokens, ${corpus.vocabulary.tokens.length.toLocaleString('en-US')} types; lower is better`,
      x: { title: 'epoch (0: before training)', format: 'd', ticks: curve(simple).map((_, i) => i) },
      y:
        level === 'word'
          ? { title: 'validation perplexity', log: true }
          : { title: 'validation cross-entropy', unit: 'bits per character' },
      legend: 'model',
      points: true,
      series: [
        {
          name: `simple RNN (${setting.simple.config.units} units)`,
          values: curve(simple),
          x: curve(simple).map((_, i) => i),
          color: [214, 39, 40],
        },
        {
          name: `LSTM (${setting.lstm.config.units} units)`,
          values: curve(lstm),
          x: curve(lstm).map((_, i) => i),
          color: [31, 119, 180],
        },
      ],
      references: [{ name: `Kneser-Ney ${ngram.order}-gram`, y: measure.of(ngram.validation), color: [120, 120, 120] }],
    }),
  );
  for (const run of [simple, lstm]) run.instance.model.dispose?.();
  const tokens = corpus.train.length.toLocaleString('en-US');
  const both = (nats: { validation: number; test: number }) =>
    `validation ${measure.format(measure.of(nats.validation))}, test ${measure.format(measure.of(nats.test))}`;
  const fullOnly = options.quick ? ' (full run only)' : '';
  const score = (nats: number) => measure.format(measure.of(nats));
  const judged = (passed: boolean) => (options.quick ? undefined : passed);
  const belowNgram = (run: LanguageModelRun) => run.test < ngram.test;
  const meetsTarget = setting.lstmTarget !== undefined && measure.of(lstm.test) <= setting.lstmTarget;
  const mixtureWins = ({ mixture }: (typeof runs)[number]) => mixture.test < Math.min(mixture.recurrentTest, mixture.ngramTest);
  const scored = setting.scoredTokens ? ` (first ${setting.scoredTokens.toLocaleString('en-US')} tokens)` : '';
  const rows: RecipeRow[] = [
    row(
      `${level} level: Kneser-Ney ${ngram.order}-gram on the same ${tokens} training tokens, ${measure.name}`,
      'the baseline',
      both(ngram),
    ),
    ...runs.map(({ name, run, setting: model }) =>
      row(
        `${level} level: ${name} (${model.config.units} units, ${model.optimizer.name} at ${model.optimizer.learningRate}), best of ${model.epochs} epoch(s) on validation, ${measure.name}`,
        '—',
        `${both(run)} (epoch ${run.bestEpoch}; ${run.tokensPerSecond.toFixed(0)} tokens/s on ${kit.backend.name})`,
      ),
    ),
    // The quick setting (one epoch on a few thousand tokens) does not reach the n-gram (word perplexity ≈ 578 against
    // ≈ 391 once): it checks a weaker claim, that the LSTM learned, and reports the headline comparisons unchecked.
    ...(options.quick
      ? [
          row(
            `${level} level: the LSTM learned (quick setting: the weaker claim), validation ${measure.name}`,
            `below ${measure.format(measure.of(lstm.validationCurve[0]!))}, the untrained LSTM's`,
            measure.format(measure.of(lstm.validation)),
            lstm.validation < lstm.validationCurve[0]!,
          ),
        ]
      : []),
    // Mikolov et al.'s claim is the simple RNN's, at the word level; at the character level the slides' n-gram is the LSTM's to beat.
    ...(level === 'word'
      ? [
          row(
            `${level} level: the simple RNN beats the n-gram baseline on test`,
            `below ${score(ngram.test)} (Mikolov et al. 2010: a simple RNN beats Kneser-Ney)${fullOnly}`,
            score(simple.test),
            judged(belowNgram(simple)),
          ),
        ]
      : []),
    row(
      `${level} level: the LSTM beats the n-gram baseline on test`,
      `below ${score(ngram.test)}${fullOnly}`,
      score(lstm.test),
      judged(belowNgram(lstm)),
    ),
    ...(setting.lstmTarget === undefined
      ? []
      : [
          row(
            `${level} level: the LSTM's test ${measure.name}`,
            `≤ ${setting.lstmTarget} (the project's target, issue 25)${fullOnly}`,
            score(lstm.test),
            judged(meetsTarget),
          ),
        ]),
    ...runs.map((entry) =>
      row(
        `${level} level: ${entry.name} and Kneser-Ney interpolated, weight ${entry.mixture.lambda} on the ${entry.name} (chosen on validation), test ${measure.name}${scored}`,
        `below both (Mikolov et al. 2010: the mixture is best)${fullOnly}`,
        `${score(entry.mixture.test)} (${entry.name} ${score(entry.mixture.recurrentTest)}, n-gram ${score(entry.mixture.ngramTest)} on the same tokens)`,
        judged(mixtureWins(entry)),
      ),
    ),
    ...samples.map(({ name, text }) => row(`${level} level: a sample from the ${name} (temperature 0.8)`, '—', JSON.stringify(text))),
  ];
  const details = {
    ngram: { order: ngram.order, validation: ngram.validation, test: ngram.test },
    vocabulary: corpus.vocabulary.tokens.length,
    model: saved,
    ...Object.fromEntries(
      runs.map(({ name, run, mixture }) => [
        name,
        {
          validationCurve: run.validationCurve,
          validation: run.validation,
          bestEpoch: run.bestEpoch,
          test: run.test,
          seconds: run.seconds,
          mixture,
        },
      ]),
    ),
  };
  const mark = (passed: boolean) => (passed ? ' ✓' : ' ✗');
  const summary =
    `${level === 'word' ? 'Words' : 'Characters'} (${tokens} training tokens, ${corpus.vocabulary.tokens.length.toLocaleString('en-US')} types), test ${measure.name}: ` +
    `Kneser-Ney ${ngram.order}-gram ${score(ngram.test)}; ` +
    runs
      .map(
        (entry) =>
          `${entry.name} ${score(entry.run.test)}${belowNgram(entry.run) ? ', below the n-gram' : ', **not** below the n-gram'}${level === 'word' || entry.run === lstm ? mark(belowNgram(entry.run)) : ''}, ` +
          `interpolated with it (weight ${entry.mixture.lambda}) ${score(entry.mixture.test)}${mark(mixtureWins(entry))}`,
      )
      .join('; ') +
    (setting.lstmTarget === undefined ? '' : `; the LSTM's target ≤ ${setting.lstmTarget}${mark(meetsTarget)}`);
  return { rows, figure, details, summary };
}

/** The run of `rnnLm` below: words, then characters, with the setting the options chose and its seed. */
async function reproduceRnnLm(kit: Kit, setting: Record<Level, LevelSetting>, seed: number, options: RecipeOptions): Promise<RecipeResult> {
  const word = await reproduceLevel(kit, setting.word, seed, options, 'word');
  const char = await reproduceLevel(kit, setting.char, seed, options, 'char');
  return {
    rows: [...word.rows, ...char.rows],
    figures: [word.figure, char.figure],
    settings: { ...setting, seed },
    summary: `Moby Dick. ${word.summary}. ${char.summary}. Pictures: \`validation-word.png\`, \`validation-char.png\``,
    details: {
      word: word.details,
      char: char.details,
      commands: [word, char].map((r) => nnkitCommand('sample', dirname(r.details.model))),
    },
  };
}

/** Mikolov et al. 2010, the lecture's reference: a recurrent language model against an n-gram one. */
export const rnnLm = recipeOf({
  name: 'rnn-lm',
  description: 'the simple RNN and LSTM language models on Moby Dick, word and character level, against a Kneser-Ney n-gram baseline',
  reproduces:
    'A recurrent language model predicts text better than a Kneser-Ney n-gram model trained on the same words (Mikolov et al. 2010).',
  settings: SETTINGS,
  seed: 11,
  reproduce: reproduceRnnLm,
});
