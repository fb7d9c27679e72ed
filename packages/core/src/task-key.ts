import type { ModelDefinition } from './contributions.js';

/**
 * The key of the task a model learns: its own (`task`), else, for a model written before tasks, token streams where
 * its training defaults set `bptt` and labelled examples otherwise (what `nnkit train` gave such a model before).
 * The CLI, `@nnkit/testing` and the recipes all ask here, so that they agree on a model that names none.
 */
export function taskKeyOf(definition: Pick<ModelDefinition, 'task' | 'training'> | undefined): string {
  return definition?.task ?? (definition?.training?.bptt ? 'tasks/token-streams' : 'tasks/labelled-images');
}
