import * as tf from '@tensorflow/tfjs';
import { globalNorm } from '@nnkit/ops';

export interface StepNumbers {
  /** The batch's mean loss (sum / weight). */
  readonly loss: number;
  /** The weight the mean is over (examples, real tokens). */
  readonly weight: number;
  /** The global norm of the gradients before clipping. */
  readonly gradientNorm: number;
  readonly finite: boolean;
  /** The norm as a tensor, for clipByGlobalNorm to reuse; the caller disposes it. */
  readonly norm: tf.Scalar;
}

/**
 * What one step reads back from the device, in one transfer: its loss, its weight and the global norm of its
 * gradients. A non-finite loss or norm means the update would ruin the weights, so the loop checks both first.
 */
export async function readStepNumbers(loss: tf.Scalar, weight: tf.Scalar | number, grads: tf.NamedTensorMap): Promise<StepNumbers> {
  const norm = globalNorm(Object.values(grads));
  const both = tf.stack(typeof weight === 'number' ? [loss, norm] : [loss, norm, weight]);
  const values = await both.data();
  both.dispose();
  const [lossValue, gradientNorm] = [values[0]!, values[1]!];
  return { loss: lossValue, weight: typeof weight === 'number' ? weight : values[2]!, gradientNorm, finite: Number.isFinite(lossValue) && Number.isFinite(gradientNorm), norm };
}

/**
 * The names of a batch's float tensors that hold NaN or ±Infinity: read when a step's loss is not finite, to tell bad
 * data from a learning rate that blew the weights up.
 */
export async function nonFiniteParts(batch: Readonly<Record<string, tf.Tensor>>): Promise<string[]> {
  const floats = Object.entries(batch).filter(([, tensor]) => tensor.dtype === 'float32');
  const flags = tf.tidy(() => floats.map(([, tensor]) => tf.any(tf.logicalNot(tf.isFinite(tensor)))));
  const found = await Promise.all(flags.map((flag) => flag.data()));
  tf.dispose(flags);
  return floats.filter((_, i) => found[i]![0] === 1).map(([name]) => name);
}
