import { taskKeyOf, type Kit, type TaskDefinition, type TrainableModel } from '@nnkit/core';

/**
 * The task that `model` (a registered model's key) learns, as the kit's registry has it: how its data is batched
 * for `train()` and how it is scored. The recipes are a plugin, and plugins meet through the registry, so the task
 * comes from whichever plugin contributes it (@nnkit/plugin-tasks, which the recipes name among what they need),
 * never from an import.
 */
export function taskOf<D, M extends TrainableModel>(kit: Kit, model: string): TaskDefinition<D, M> {
  return kit.registry.tasks.get(taskKeyOf(kit.registry.models.get(model))) as TaskDefinition<D, M>;
}
