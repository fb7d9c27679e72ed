import type { RecipeOptions, SequencePairCorpus, Kit, RecipeResult } from '@nnkit/core';
import { figurePath, percent, row } from '../report.js';
import { writeAttentionMaps } from './attention-maps.js';
import { fitTranslator, saveTranslator, scoreTranslator } from './fit-translator.js';
import { recipeOf } from '../recipe-of.js';

/** The date the printed command translates: the lecture's example, in a format the corpus writes ('D Mon YYYY'). */
export const DATES_EXAMPLE = '23 Jan 2017';

const SETTINGS = {
  // Measured while this was written (wasm, 2 busy cores): 4,000 dates for 4 epochs reach 69% exact match in a minute.
  quick: { train: 4000, test: 500, epochs: 4, target: 0.5 },
  full: { train: 20000, test: 2000, epochs: 8, target: 0.99 },
};

/** The run of `datesRecipe` below: what it measures, with the setting the options chose and its seed. */
async function reproduceDates(
  kit: Kit,
  setting: (typeof SETTINGS)[keyof typeof SETTINGS],
  seed: number,
  options: RecipeOptions,
): Promise<RecipeResult> {
  const corpus = await kit.loadDataset<SequencePairCorpus>('datasets/dates', {
    train: setting.train,
    validation: 500,
    test: setting.test,
    seed,
  });
  const config = {
    sourceVocabularySize: corpus.sourceVocabulary.tokens.length,
    targetVocabularySize: corpus.targetVocabulary.tokens.length,
  };
  const fitted = await fitTranslator(kit, {
    label: 'dates',
    preset: 'dates',
    config,
    vocabularies: corpus,
    train: corpus.train,
    validation: corpus.validation,
    epochs: setting.epochs,
    batchSize: 64,
    learningRate: 5e-3,
    seed,
  });
  const model = fitted.instance.model;
  try {
    // Kept, so that `nnkit translate` can be tried on what the run trained (the command is printed with the table).
    const saved = await saveTranslator(figurePath(options, 'dates', 'model'), fitted.instance, corpus, DATES_EXAMPLE, {
      key: 'datasets/dates',
      options: { train: setting.train, validation: 500, test: setting.test, seed },
    });
    const scores = await scoreTranslator(kit, model, corpus, corpus.test);
    const shown = [0, 1, 2, 3].map((i) => ({
      example: corpus.test[i]!,
      output: scores.outputs[i]!,
      attention: scores.attention[i]!,
    }));
    const maps = await writeAttentionMaps(
      figurePath(options, 'dates', 'attention.png'),
      'Where each ISO character looked in the written date',
      shown,
      corpus,
    );
    const text = (ids: readonly number[], side: 'source' | 'target') =>
      (side === 'source' ? corpus.sourceVocabulary : corpus.targetVocabulary).decode([...ids]).join('');
    const wrong = corpus.test
      .map((e, i) => ({ e, i }))
      .filter(({ e, i }) => text(scores.outputs[i]!, 'target') !== text(e.targets[0]!, 'target'));
    return {
      rows: [
        row(
          `exact match on ${corpus.test.length.toLocaleString('en-US')} test dates (${setting.epochs} epochs on ${corpus.train.length.toLocaleString('en-US')})`,
          `≥ ${percent(setting.target, 0)}${options.quick ? ' (quick setting)' : ''}`,
          percent(scores.exactMatch),
          scores.exactMatch >= setting.target,
        ),
        row('character error rate', '—', percent(scores.tokenErrorRate)),
        ...shown.map(({ example, output }) =>
          row(`“${text(example.source, 'source')}”`, text(example.targets[0]!, 'target'), text(output, 'target')),
        ),
        ...(wrong.length > 0
          ? [
              row(
                'a mistake',
                text(wrong[0]!.e.targets[0]!, 'target'),
                `“${text(wrong[0]!.e.source, 'source')}” → ${text(scores.outputs[wrong[0]!.i]!, 'target')}`,
              ),
            ]
          : []),
        row(
          `training (${kit.backend.name})`,
          '—',
          `${fitted.seconds.toFixed(0)} s, ${Math.round(fitted.tokensPerSecond).toLocaleString('en-US')} target tokens/s, ${fitted.parameters.toLocaleString('en-US')} parameters`,
        ),
      ],
      figures: [maps],
      details: {
        exactMatch: scores.exactMatch,
        characterErrorRate: scores.tokenErrorRate,
        history: fitted.history,
        seconds: fitted.seconds,
        ...saved,
      },
    };
  } finally {
    model.dispose?.();
  }
}

/**
 * The lecture's "seq2seq + attention" on tfjs-examples' date-conversion-attention task: dates written in 19 human
 * formats ("Monday, January 23, 2017", "23.01.17", …) translated character by character into ISO 8601.
 */
export const datesRecipe = recipeOf({
  name: 'dates',
  description: 'translate dates in 19 human formats into ISO 8601 with attention, and show where each output character looked',
  reproduces:
    'An encoder–decoder with attention learns to normalize dates written in many formats (tfjs-examples date-conversion-attention), ≥ 99% exact match.',
  settings: SETTINGS,
  seed: 7,
  reproduce: reproduceDates,
});
