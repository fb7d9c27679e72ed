import type { Kit, ModelInstance, TrainableModel } from '@nnkit/core';
import { loadModel, type SavedModelMetadata } from '@nnkit/train';

/** A model folder as loadModel reads it: the model made from its config with the saved weights, and model.json. */
export interface SavedModel {
  /** The folder, as given (resolved by the caller). */
  readonly dir: string;
  readonly instance: ModelInstance<TrainableModel>;
  readonly metadata: SavedModelMetadata;
}

/**
 * The path every command that runs a saved model takes: load the folder, `accept` it (check that it is the kind the
 * command needs and return what the command uses of it, typed; or throw naming the command it needs instead), `use`
 * it, and free its weights however that ends, a refusal included.
 *
 * ```ts
 * await withSavedModel(kit, dir, (saved) => asTranslator(saved), async (translator) => translator.translate(…));
 * ```
 */
export async function withSavedModel<A, R>(
  kit: Kit,
  dir: string,
  accept: (saved: SavedModel) => A,
  use: (accepted: A, saved: SavedModel) => Promise<R>,
): Promise<R> {
  const { instance, metadata } = await loadModel<TrainableModel>(kit, dir);
  const saved: SavedModel = { dir, instance, metadata };
  try {
    return await use(accept(saved), saved);
  } finally {
    instance.model.dispose?.();
  }
}
