import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { decodeWeights, encodeWeights } from './weights-codec.js';

/**
 * State an optimizer keeps outside `getWeights()`. tfjs's Adam (and Adamax) keep β₁ᵗ and β₂ᵗ as variables that
 * are multiplied by β once per step; `setWeights` recomputes them as pow(β, t + 1), which differs from t float32
 * multiplications in the last bits, so a resumed run would drift from one never stopped. nnkit saves them too.
 */
const HIDDEN_STATE = ['accBeta1', 'accBeta2'] as const;

type WithHiddenState = Partial<Record<(typeof HIDDEN_STATE)[number], tf.Variable>>;

/** The variables an optimizer updates, in the order it sees them: tfjs's own name and nnkit's stable name for each. */
export type TrainedVariables = readonly { readonly stable: string; readonly variable: tf.Variable }[];

/** `12/m` → ['12', 'm']: tfjs names a slot `${variable name}/${slot}`; a name without '/' belongs to the optimizer. */
function splitSlot(name: string): [string, string] | undefined {
  const cut = name.lastIndexOf('/');
  return cut < 0 ? undefined : [name.slice(0, cut), name.slice(cut + 1)];
}

/**
 * Everything needed to put the optimizer back exactly as it was, in tfjs's weights format. tfjs's optimizers keep
 * one slot per variable (Adam's m and v) by position and name it after the process-local variable name; nnkit
 * saves each slot under the variable's stable name instead (`C1/kernel/m`), so that state is matched by name.
 */
export async function encodeOptimizerState(optimizer: tf.Optimizer, trained: TrainedVariables) {
  const stableOf = new Map(trained.map(({ stable, variable }) => [variable.name, stable]));
  const weights = await optimizer.getWeights();
  const renamed = weights.map(({ name, tensor }) => {
    const slot = splitSlot(name);
    const stable = slot && stableOf.get(slot[0]);
    return { name: stable ? `${stable}/${slot![1]}` : name, tensor };
  });
  const hidden = HIDDEN_STATE.flatMap((field) => {
    const variable = (optimizer as unknown as WithHiddenState)[field];
    return variable ? [{ name: `nnkit/${field}`, tensor: variable as tf.Tensor }] : [];
  });
  try {
    return await encodeWeights([...renamed, ...hidden]);
  } finally {
    // getWeights() makes a new scalar for the step count ('iter'); the slots are the optimizer's own variables.
    tf.dispose(weights.filter(({ tensor }) => !(tensor instanceof tf.Variable)).map(({ tensor }) => tensor));
  }
}

/**
 * Restores what encodeOptimizerState saved into an optimizer that trains `trained`: each slot block (all m, then
 * all v, …) is laid out again in the order of `trained`, found by stable name, whatever order it was saved in.
 */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  data: Uint8Array,
  specs: tf.io.WeightsManifestEntry[],
  trained: TrainedVariables,
  origin: string,
): Promise<void> {
  const tensors = decodeWeights(data, specs);
  try {
    const stableNames = new Set(trained.map((t) => t.stable));
    const layout: ({ global: string } | { slot: string })[] = [];
    const unexpected: string[] = [];
    for (const { name } of specs) {
      if (name.startsWith('nnkit/')) continue;
      const slot = splitSlot(name);
      if (!slot) layout.push({ global: name });
      else if (!stableNames.has(slot[0])) unexpected.push(name);
      else if (!layout.some((item) => 'slot' in item && item.slot === slot[1])) layout.push({ slot: slot[1] });
    }
    const missing: string[] = [];
    const ordered = layout.flatMap((item) => {
      if ('global' in item) return [{ name: item.global, tensor: tensors[item.global]! }];
      return trained.map(({ stable, variable }) => {
        const tensor = tensors[`${stable}/${item.slot}`];
        if (!tensor) missing.push(`${stable}/${item.slot}`);
        return { name: `${variable.name}/${item.slot}`, tensor: tensor! };
      });
    });
    if (missing.length > 0 || unexpected.length > 0) {
      throw new ShapeError(
        `${origin} expects optimizer state for the trained weights, got ${missing.length > 0 ? `none for ${missing.join(', ')}` : ''}` +
          `${missing.length > 0 && unexpected.length > 0 ? ' and ' : ''}${unexpected.length > 0 ? `state for weights not trained now: ${unexpected.join(', ')}` : ''}. ` +
          'Resume with the same model and the same frozen weights, or start a new run.',
      );
    }
    await optimizer.setWeights(ordered); // copies into its own variables
    for (const field of HIDDEN_STATE) {
      const saved = tensors[`nnkit/${field}`];
      const variable = (optimizer as unknown as WithHiddenState)[field];
      if (saved && variable) variable.assign(saved);
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
