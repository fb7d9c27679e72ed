import * as tf from '@tensorflow/tfjs';
import type { Examples, Kit, RecipeOptions, RecipeRow, SupervisedData, RecipeResult } from '@nnkit/core';
import type { CnnFeatures } from '@nnkit/plugin-cnn-features';
import { evaluate, stepDecay, train } from '@nnkit/train';
import { lineChart, writePng } from '@nnkit/viz';
import { definedSettings, firstExamples } from './features/index.js';
import { figurePath, percent, row } from './report.js';
import { recipeOf } from './recipe-of.js';

// "Neurons of deep convolutional layers learn complex representations that can be used as features for
// classification with MLP" (the lecture): a CNN learns conv1–conv3 from the whole MNIST training set; then, with
// only 100, 1,000 or 10,000 labelled digits, an MLP on its frozen conv3 features is set against the same MLP on the
// raw pixels and against the whole CNN trained end to end on those digits alone.

const RECIPE = 'features-as-input';

const SETTINGS = {
  quick: {
    pretrainLimit: 1_000,
    pretrainEpochs: 1,
    pretrainBatch: 16,
    pretrainRate: 3e-3,
    sizes: [100, 1_000],
    steps: 20,
    batchSize: 32,
    learningRate: 2e-3,
    testLimit: 500,
  },
  full: {
    pretrainLimit: undefined,
    pretrainEpochs: 4,
    pretrainBatch: 64,
    pretrainRate: 1e-3,
    sizes: [100, 1_000, 10_000],
    steps: 1_500,
    batchSize: 64,
    learningRate: 1e-3,
    testLimit: undefined,
  },
};

/** The same MLP head for every contender: 128 hidden ReLU units with dropout 0.5 (small sets overfit without it). */
const HEAD = { hidden: 128, dropout: 0.5 };

const CONTENDERS = ['frozen conv3 features', 'raw pixels', 'CNN end to end'] as const;
type Contender = (typeof CONTENDERS)[number];

interface Fit {
  readonly accuracy: number;
  readonly seconds: number;
}

/** Trains `model` for `steps` steps of Adam (freezing `freeze`) and measures it on the test digits. */
async function fit(
  kit: Kit,
  model: CnnFeatures,
  digits: Examples,
  test: Examples,
  setting: { readonly steps: number; readonly batchSize: number; readonly learningRate: number },
  label: string,
  freeze: readonly string[] = [],
): Promise<Fit> {
  const started = performance.now();
  await train({
    model,
    data: digits,
    steps: setting.steps,
    batchSize: Math.min(setting.batchSize, digits.xs.shape[0]!),
    optimizer: { name: 'adam', learningRate: setting.learningRate },
    ...(freeze.length > 0 && { freeze }),
    seed: kit.random.derive(`${RECIPE}/${label}`),
    progress: kit.progress,
    label,
  });
  const seconds = (performance.now() - started) / 1000;
  const { accuracy } = await evaluate(model, test);
  return { accuracy: accuracy!, seconds };
}

/** The run of `featuresAsInput` below: what it measures, with the setting the options chose. */
async function reproduceFeaturesAsInput(
  kit: Kit,
  setting: (typeof SETTINGS)[keyof typeof SETTINGS],
  options: RecipeOptions,
): Promise<RecipeResult> {
  const largest = Math.max(...setting.sizes);
  const data = await kit.loadDataset<SupervisedData>('datasets/mnist', {
    ...(setting.pretrainLimit && { trainLimit: Math.max(setting.pretrainLimit, largest) }),
    ...(setting.testLimit && { testLimit: setting.testLimit }),
  });
  // MNIST makes each split's tensors when first read: read them here, outside any tidy that would free them.
  const test = data.test!;
  void data.train;
  const made: CnnFeatures[] = [];
  const create = async (preset: 'small' | 'pixels') => {
    const { model } = await kit.createModel<CnnFeatures>('cnn-features/cnn', { preset, config: HEAD });
    made.push(model);
    return model;
  };
  try {
    // 1. The features: conv1–conv3 of a CNN trained on the whole training set (as many digits as the setting has).
    const pretrainDigits = setting.pretrainLimit ? firstExamples(data.train, setting.pretrainLimit) : data.train;
    const pretrained = await create('small');
    const started = performance.now();
    await train({
      model: pretrained,
      data: pretrainDigits,
      epochs: setting.pretrainEpochs,
      batchSize: setting.pretrainBatch,
      optimizer: { name: 'adam', learningRate: setting.pretrainRate },
      callbacks: [stepDecay({ factor: 0.7 })],
      seed: kit.random.derive(`${RECIPE}/pretrain`),
      progress: kit.progress,
      label: 'CNN on all digits',
    });
    const pretrainSeconds = (performance.now() - started) / 1000;
    const pretrainedAccuracy = (await evaluate(pretrained, test)).accuracy!;
    const pretrainCount = pretrainDigits.xs.shape[0]!;
    if (pretrainDigits !== data.train) tf.dispose([pretrainDigits.xs, pretrainDigits.ys]);
    const convNames = Object.keys(pretrained.weights).filter((name) => name.startsWith('conv'));
    const frozenPatterns = pretrained.layers.map((layer) => `${layer}/`);

    // 2. Each size: the same first n digits for all three contenders, the same number of steps.
    const results: Record<number, Record<Contender, Fit>> = {};
    let frozenDrift = 0;
    for (const n of setting.sizes) {
      const digits = firstExamples(data.train, n);
      try {
        // An MLP head on frozen features: a fresh model whose conv weights are the pretrained ones, frozen.
        const onFeatures = await create('small');
        for (const name of convNames) onFeatures.weights[name]!.assign(pretrained.weights[name]!);
        const features = await fit(kit, onFeatures, digits, test, setting, `MLP on frozen conv3, n=${n}`, frozenPatterns);
        frozenDrift = Math.max(
          frozenDrift,
          ...tf.tidy(() =>
            convNames.map((name) => tf.max(tf.abs(tf.sub(onFeatures.weights[name]!, pretrained.weights[name]!))).dataSync()[0]!),
          ),
        );
        const pixels = await fit(kit, await create('pixels'), digits, test, setting, `MLP on pixels, n=${n}`);
        const endToEnd = await fit(kit, await create('small'), digits, test, setting, `CNN end to end, n=${n}`);
        results[n] = { 'frozen conv3 features': features, 'raw pixels': pixels, 'CNN end to end': endToEnd };
      } finally {
        if (digits !== data.train) tf.dispose([digits.xs, digits.ys]);
        for (const model of made.splice(1)) model.dispose!(); // all but the pretrained CNN
      }
    }

    // 3. What came out, against the slide.
    const sizes = setting.sizes.map((n) => n.toLocaleString('en-US'));
    const rows: RecipeRow[] = [
      row(
        `the CNN whose conv1–conv3 give the features (${setting.pretrainEpochs} epoch${setting.pretrainEpochs > 1 ? 's' : ''} on ${pretrainCount.toLocaleString('en-US')} digits, ${pretrainSeconds.toFixed(0)} s on ${kit.backend.name}), test accuracy`,
        '—',
        percent(pretrainedAccuracy),
      ),
      ...setting.sizes.map((n) => {
        const r = results[n]!;
        const measured = CONTENDERS.map((c) => `${c} ${percent(r[c].accuracy)}`).join('; ');
        return row(
          `${n.toLocaleString('en-US')} training digits (${setting.steps.toLocaleString('en-US')} steps each): test accuracy`,
          'an MLP on frozen CNN features beats the same MLP on raw pixels',
          measured,
          r['frozen conv3 features'].accuracy > r['raw pixels'].accuracy,
        );
      }),
      row(
        'the frozen conv weights after training the MLPs on them',
        'unchanged (train freeze: conv1/, conv2/, conv3/)',
        `largest change ${frozenDrift}`,
        frozenDrift === 0,
      ),
    ];
    // x: log10 of the training digits (2, 3, 4 for 100, 1,000, 10,000), so the sizes sit evenly; y: test accuracy.
    const at = (n: number) => Math.round(Math.log10(n));
    const curve = (c: Contender) =>
      Array.from({ length: at(largest) }, (_, i) => results[setting.sizes.find((n) => at(n) === i + 1) ?? -1]?.[c].accuracy ?? NaN);
    const chart = writePng(
      figurePath(options, RECIPE, 'accuracy-by-training-size.png'),
      lineChart(
        [
          { values: curve('frozen conv3 features'), color: [40, 90, 200] },
          { values: curve('raw pixels'), color: [210, 50, 40] },
          { values: curve('CNN end to end'), color: [120, 120, 120] },
        ],
        { xTicks: setting.sizes.map(at) },
      ),
    );
    const perSize = (c: Contender) => setting.sizes.map((n) => percent(results[n]![c].accuracy)).join(' / ');
    const summary =
      `test accuracy with ${sizes.join(' / ')} training digits: MLP on frozen conv3 features ${perSize('frozen conv3 features')}, ` +
      `the same MLP on raw pixels ${perSize('raw pixels')}, the CNN end to end ${perSize('CNN end to end')} ` +
      `(${setting.steps.toLocaleString('en-US')} steps of Adam each; conv1–conv3 from a CNN trained on ${pretrainCount.toLocaleString('en-US')} digits, ${percent(pretrainedAccuracy)}). ` +
      `Picture: \`accuracy-by-training-size.png\` (x: log10 of the training digits; blue frozen features, red pixels, grey end to end)`;
    return {
      rows,
      summary,
      settings: definedSettings({ ...setting, head: HEAD, preset: 'small', optimizer: 'adam' }),
      figures: [chart],
      details: {
        sizes: setting.sizes,
        pretrained: {
          digits: pretrainCount,
          epochs: setting.pretrainEpochs,
          accuracy: pretrainedAccuracy,
          seconds: pretrainSeconds,
        },
        results: Object.fromEntries(setting.sizes.map((n) => [n, results[n]])),
        frozenDrift,
        chart: { x: sizes, series: CONTENDERS },
      },
    };
  } finally {
    for (const model of made) model.dispose!();
    data.dispose();
  }
}

export const featuresAsInput = recipeOf({
  name: RECIPE,
  description:
    'an MLP on frozen CNN features against an MLP on pixels and a CNN trained end to end, with 100, 1,000 and 10,000 training digits',
  reproduces: 'Neurons of deep convolutional layers learn representations that can be used as features for classification with an MLP.',
  settings: SETTINGS,
  reproduce: reproduceFeaturesAsInput,
});
