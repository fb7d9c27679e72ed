import * as tf from '@tensorflow/tfjs';
import { decodeWeights, encodeWeights } from './weights-codec.js';

/**
 * State an optimizer keeps outside `getWeights()`. tfjs's Adam (and Adamax) keep β₁ᵗ and β₂ᵗ as variables that
 * are multiplied by β once per step; `setWeights` recomputes them as pow(β, t + 1), which differs from t float32
 * multiplications in the last bits, so a resumed run would drift from one never stopped. nnkit saves them too.
 */
const HIDDEN_STATE = ['accBeta1', 'accBeta2'] as const;

type WithHiddenState = Partial<Record<(typeof HIDDEN_STATE)[number], tf.Variable>>;

/** Everything needed to put the optimizer back exactly as it was, in tfjs's weights format. */
export async function encodeOptimizerState(optimizer: tf.Optimizer) {
  const hidden = HIDDEN_STATE.flatMap((field) => {
    const variable = (optimizer as unknown as WithHiddenState)[field];
    return variable ? [{ name: `nnkit/${field}`, tensor: variable as tf.Tensor }] : [];
  });
  return encodeWeights([...(await optimizer.getWeights()), ...hidden]);
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, data: Uint8Array, specs: tf.io.WeightsManifestEntry[]): Promise<void> {
  const tensors = decodeWeights(data, specs);
  const own = specs.filter((s) => !s.name.startsWith('nnkit/'));
  // setWeights keeps (turns into variables) what it is given.
  await optimizer.setWeights(own.map((spec) => ({ name: spec.name, tensor: tensors[spec.name]! })));
  for (const field of HIDDEN_STATE) {
    const saved = tensors[`nnkit/${field}`];
    const variable = (optimizer as unknown as WithHiddenState)[field];
    if (saved && variable) variable.assign(saved);
  }
  tf.dispose(specs.filter((s) => s.name.startsWith('nnkit/')).map((s) => tensors[s.name]!));
}
