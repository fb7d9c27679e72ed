import { resolve } from 'node:path';
import { ConfigError, type TaskDefinition, type TaskSaveExtras, type TrainableModel } from '@nnkit/core';
import { loadModel, type SavedModelMetadata } from '@nnkit/train';
import { BEAM_RANGE } from '../beam-option.js';
import type { Command } from '../command.js';
import { disposeData, taskOf, wrongKindOfData } from '../data-kinds.js';
import { choiceOption, integerLimit, integerOption, nameOption } from '../options.js';
import { pickSplit, SPLITS } from '../splits.js';
import { UsageError } from '../usage-error.js';
import { checkVocabularies, type VocabularyPair } from '../vocabulary-match.js';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval <model-dir>',
  summary: 'load a saved model and measure it on its dataset (the test split, else validation)',
  positionals: { min: 1, max: 1 },
  options: {
    dataset: {
      type: 'string',
      description: 'a registered dataset of the kind the model takes (default: the one it was trained on, with its options)',
    },
    split: {
      type: 'string',
      description: 'the split to measure (default: test, else validation)',
      limit: `one of ${SPLITS.join(', ')}`,
    },
    beam: {
      type: 'string',
      description: 'beam width for a sequence-to-sequence model or a captioner (default 1: greedy)',
      limit: integerLimit(BEAM_RANGE),
    },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    // Every option is read before any work, so that a mistake in one costs nothing.
    const dir = resolve(positionals[0]!);
    const splitFlag = choiceOption(values.split, 'split', SPLITS);
    const beamFlag = integerOption(values.beam, 'beam', BEAM_RANGE);
    const datasetFlag = nameOption(values.dataset, 'dataset');
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, dir);
    const { model } = instance;
    let data: unknown;
    let datasetKey: string | undefined;
    try {
      // Everything that depends on the kind of data goes through the task the model learns.
      const task: TaskDefinition = taskOf(
        kit,
        kit.registry.models.has(metadata.model) ? kit.registry.models.get(metadata.model) : undefined,
      );
      if (beamFlag !== undefined && !task.decodes) {
        throw new UsageError(
          `--beam expects a model that decodes sequences (a translator or a captioner), got ${metadata.model}, ${task.learner ?? `a model of ${task.holds}`}. Leave --beam out.`,
        );
      }
      datasetKey = datasetFlag ?? metadata.dataset?.key;
      if (!datasetKey) throw new ConfigError(`Saved model ${dir} names no dataset: pass --dataset <name>.`);
      // The options it was trained with go with its own dataset, whether named by --dataset or not: a corpus cut
      // differently would build a different vocabulary.
      const options = datasetKey === metadata.dataset?.key ? (metadata.dataset.options ?? {}) : {};
      data = await kit.loadDataset(datasetKey, options);
      if (!task.accepts(data)) throw wrongKindOfData(kit, metadata.model, task, datasetKey, data);
      checkVocabularies(vocabulariesIn(task.saveExtras?.(data) ?? {}, metadata), { dir, metadata, datasetKey });
      const split = pickSplit(task.splits(data), splitFlag, datasetKey);
      const beam = beamFlag ?? 1;
      const metrics = await task.evaluate(model, data, split, { kit, ...(task.decodes && { beam }) });
      const size = task.splitSize?.(data, split);
      print(
        {
          model: metadata.model,
          dir,
          dataset: datasetKey,
          split,
          ...(size && { [size.field]: size.count }),
          ...(task.decodes && { beam }),
          metrics,
        },
        () =>
          [
            `${metadata.model} on ${datasetKey} (${split}${size ? `, ${size.count} ${size.unit}` : ''}${task.decodes ? `, beam ${beam}` : ''}):`,
            ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`),
          ].join('\n'),
      );
    } finally {
      model.dispose?.();
      if (datasetKey !== undefined) disposeData(kit, datasetKey, data);
    }
  },
};

/** The vocabularies the data's ids index (what a model trained on it would keep), beside the ones saved with the model. */
function vocabulariesIn(extras: TaskSaveExtras, metadata: SavedModelMetadata): VocabularyPair[] {
  if (extras.vocabularies) {
    return [
      { which: 'source', saved: metadata.vocabularies?.source, data: extras.vocabularies.source },
      { which: 'target', saved: metadata.vocabularies?.target, data: extras.vocabularies.target },
    ];
  }
  return extras.vocabulary ? [{ which: 'token', saved: metadata.vocabulary, data: extras.vocabulary }] : [];
}
