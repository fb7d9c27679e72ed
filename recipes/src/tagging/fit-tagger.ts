import type { ConfigSchema, Kit, ModelInstance, TaskDefinition } from '@nnkit/core';
import type { RecurrentTagger, SequenceTagger, TaggedSentenceCorpus } from '@nnkit/plugin-pos-tagging';
import { train } from '@nnkit/train';
import { taskOf } from '../task-of.js';

const TAGGER = 'pos/rnn-tagger';

export interface TaggerSetting {
  readonly embedding: number;
  readonly units: number;
  readonly dropout: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/**
 * `pos/rnn-tagger` over `cell` (one or both directions), made and trained as `nnkit train` would: its task fills the
 * vocabulary size and the tag count from the corpus and batches the training sentences; Adam, clipped at norm 5.
 */
export async function fitRecurrentTagger(
  kit: Kit,
  corpus: TaggedSentenceCorpus,
  { cell, bidirectional, label }: { cell: string; bidirectional: boolean; label: string },
  setting: TaggerSetting,
  seed: number,
): Promise<{ instance: ModelInstance<RecurrentTagger>; seconds: number }> {
  const task: TaskDefinition<TaggedSentenceCorpus, SequenceTagger> = taskOf(kit, TAGGER);
  const schema: ConfigSchema = kit.registry.models.get(TAGGER).config;
  const { embedding, units, dropout } = setting;
  const instance = await kit.createModel<RecurrentTagger>(TAGGER, {
    config: { ...task.configFrom(corpus, schema), cell, bidirectional, embedding, units, dropout },
  });
  const data = task.trainingData(corpus, { batchSize: setting.batchSize, dataset: label });
  const started = performance.now();
  await train({
    model: instance.model,
    data: { train: data.train },
    epochs: setting.epochs,
    optimizer: { name: 'adam', learningRate: setting.learningRate },
    clip: { norm: 5 },
    seed,
    progress: kit.progress,
    label,
  });
  return { instance, seconds: (performance.now() - started) / 1000 };
}
