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
}

interface LevelSetting {
  /** n-gram orders tried; the one best on validation is the baseline. */
  readonly orders: readonly number[];
  readonly trainTokens?: number;
  readonly epochs: number;
  readonly streams: number;
  readonly window: number;
  readonly simple: ModelSetting;
  readonly lstm: ModelSetting;
  readonly prompt: string;
  readonly sampleLength: number;
  /** Validation and test tokens scored one by one for the interpolation (all of them when absent). */
  readonly scoredTokens?: number;
}

/**
 * Words: SGD with clipping at 0.25 (the loss is the mean over tokens), as PyTorch's word_language_model example:
 * at 20 for the LSTM as there, at 1 for the simple RNN, which 20 and 5 made unstable here. Measured here with Adam at
 * 2e-3 instead: after an epoch or two the validation cross-entropy jumped from 5.9 to 7.6–10 nats while the training
 * loss kept falling, because one of the evaluation's streams, started from the zero state at an unlucky word, fell
 * into a saturated state it never left (13.7 nats on its 2,622 words). Characters: Adam at 2e-3 (char-rnn's
 * default), clipping at 5.
 */
const WORD_SIMPLE = { optimizer: { name: 'sgd', learningRate: 1 }, clipNorm: 0.25 } as const;
const WORD_LSTM = { optimizer: { name: 'sgd', learningRate: 20 }, clipNorm: 0.25 } as const;
const CHAR = { optimizer: { name: 'adam', learningRate: 2e-3 }, clipNorm: 5 } as const;

// Sizes chosen to train on this machine's 2 cores in about half an hour (full) or half a minute (quick).
const SETTINGS: Record<'quick' | 'full', Record<Level, LevelSetting>> = {
  quick: {
    word: {
      orders: [2, 3],
      trainTokens: 12_000,
      epochs: 1,
      streams: 16,
      window: 20,
      simple: { config: { units: 32, embedding: 32 }, ...WORD_SIMPLE },
      lstm: { config: { units: 32, embedding: 32, tieWeights: true }, ...WORD_LSTM },
      prompt: 'the whale',
      sampleLength: 20,
      scoredTokens: 2_000,
    },
    char: {
      orders: [3, 5],
      trainTokens: 40_000,
      epochs: 1,
      streams: 32,
      window: 25,
      simple: { config: { units: 64 }, ...CHAR },
      lstm: { config: { units: 64, embedding: 32 }, ...CHAR },
      prompt: 'The whale',
      sampleLength: 80,
      scoredTokens: 4_000,
    },
  },
  full: {
    word: {
      orders: [2, 3, 4, 5],
      epochs: 5,
      streams: 32,
      window: 35,
      simple: { config: { units: 200, embedding: 200 }, ...WORD_SIMPLE },
      lstm: { config: { units: 256, embedding: 256, tieWeights: true, dropout: 0.5 }, ...WORD_LSTM },
      prompt: 'the whale',
      sampleLength: 40,
    },
    char: {
      orders: [3, 5, 7, 9],
      epochs: 4,
      streams: 64,
      window: 50,
      simple: { config: { units: 256 }, ...CHAR },
      lstm: { config: { units: 256, embedding: 64, dropout: 0.2 }, ...CHAR },
      prompt: 'The whale',
      sampleLength: 300,
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

/** The LSTM and the n-gram model mixed token by token, the weight chosen on validation, scored on test. */
function interpolate(run: LanguageModelRun, ngram: KneserNey, corpus: TextCorpus, scoredTokens: number | undefined) {
  const score = (ids: Int32Array) => {
    const part = scoredTokens ? ids.subarray(0, scoredTokens) : ids;
    const lstm = scoreTokens(run.instance.model, part);
    return { lstm: lstm.probabilities, ngram: scoreWithNgram(ngram, part, lstm.positions) };
  };
  const validation = score(corpus.validation);
  const lambda = bestLambda(validation.lstm, validation.ngram);
  const test = score(corpus.test);
  return {
    lambda,
    test: mixtureCrossEntropy(test.lstm, test.ngram, lambda),
    lstmTest: mixtureCrossEntropy(test.lstm, test.ngram, 1),
    ngramTest: mixtureCrossEntropy(test.lstm, test.ngram, 0),
  };
}

async function reproduceLevel(kit: Kit, setting: LevelSetting, seed: number, options: RecipeOptions, level: Level) {
  const corpus = loadMobyDick({ level, ...(setting.trainTokens && { trainTokens: setting.trainTokens }) });
  const measure = MEASURE[level];
  const ngram = bestNgram(corpus, setting.orders);
  const { epochs, streams, window } = setting;
  const fit = (key: string, model: ModelSetting, name: string) =>
    fitLanguageModel(kit, { key, ...model, corpus, epochs, streams, window, label: `${name} (${level})` });
  const simple = await fit('rnn-lm/lm', setting.simple, 'simple RNN');
  const lstm = await fit('lstm/lm', setting.lstm, 'LSTM');
  const runs = [
    { name: 'simple RNN', run: simple },
    { name: 'LSTM', run: lstm },
  ];
  const mixture = interpolate(lstm, ngram.model, corpus, setting.scoredTokens);
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
  const rows: RecipeRow[] = [
    row(
      `${level} level: Kneser-Ney ${ngram.order}-gram on the same ${tokens} training tokens, ${measure.name}`,
      'the baseline',
      both(ngram),
    ),
    ...runs.map(({ name, run }) =>
      row(
        `${level} level: ${name}, best of ${setting.epochs} epoch(s) on validation, ${measure.name}`,
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
    row(
      `${level} level: the LSTM beats the n-gram baseline on test`,
      `below ${measure.format(measure.of(ngram.test))} (Mikolov et al. 2010: RNN LMs beat Kneser-Ney)${fullOnly}`,
      measure.format(measure.of(lstm.test)),
      options.quick ? undefined : lstm.test < ngram.test,
    ),
    row(
      `${level} level: LSTM and Kneser-Ney interpolated, weight ${mixture.lambda} on the LSTM (chosen on validation), test ${measure.name}${setting.scoredTokens ? ` (first ${setting.scoredTokens.toLocaleString('en-US')} tokens)` : ''}`,
      `below both (Mikolov et al. 2010: the mixture is best)${fullOnly}`,
      `${measure.format(measure.of(mixture.test))} (LSTM ${measure.format(measure.of(mixture.lstmTest))}, n-gram ${measure.format(measure.of(mixture.ngramTest))} on the same tokens)`,
      options.quick ? undefined : mixture.test < Math.min(mixture.lstmTest, mixture.ngramTest),
    ),
    ...samples.map(({ name, text }) => row(`${level} level: a sample from the ${name} (temperature 0.8)`, '—', JSON.stringify(text))),
  ];
  const details = {
    ngram: { order: ngram.order, validation: ngram.validation, test: ngram.test },
    mixture,
    vocabulary: corpus.vocabulary.tokens.length,
    model: saved,
    ...Object.fromEntries(
      runs.map(({ name, run }) => [
        name,
        {
          validationCurve: run.validationCurve,
          validation: run.validation,
          bestEpoch: run.bestEpoch,
          test: run.test,
          seconds: run.seconds,
        },
      ]),
    ),
  };
  const score = (nats: number) => measure.format(measure.of(nats));
  const summary =
    `${level === 'word' ? 'Words' : 'Characters'} (${tokens} training tokens, ${corpus.vocabulary.tokens.length.toLocaleString('en-US')} types), test ${measure.name}: ` +
    `Kneser-Ney ${ngram.order}-gram ${score(ngram.test)}; simple RNN ${score(simple.test)}; LSTM ${score(lstm.test)}${lstm.test < ngram.test ? ', below the n-gram ✓' : ', **not** below the n-gram ✗'}; ` +
    `the two interpolated (weight ${mixture.lambda} on the LSTM) ${score(mixture.test)}${mixture.test < Math.min(mixture.lstmTest, mixture.ngramTest) ? ' ✓' : ' ✗'}`;
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
