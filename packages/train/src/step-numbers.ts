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
  /** The batch's float tensors that hold NaN or ±Infinity (bad data, whatever the loss made of it). */
  readonly badParts: readonly string[];
  /** The norm as a tensor, for clipByGlobalNorm to reuse; the caller disposes it. */
  readonly norm: tf.Scalar;
}

/**
 * What one step reads back from the device, in one transfer: its loss, its weight, the global norm of its
 * gradients, and whether each float tensor of the batch is finite. A non-finite loss or norm means the update would
 * ruin the weights, so the loop checks both first; a NaN input is bad data even where the model's loss hides it
 * (a max-pool can turn NaN into a finite number).
 */
export async function readStepNumbers(
  loss: tf.Scalar,
  weight: tf.Scalar | number,
  grads: tf.NamedTensorMap,
  batch: Readonly<Record<string, tf.Tensor>> = {},
): Promise<StepNumbers> {
  const norm = globalNorm(Object.values(grads));
  const floats = floatParts(batch);
  const all = tf.tidy(() =>
    tf.stack([loss, norm, ...(typeof weight === 'number' ? [] : [weight]), ...floats.map(([, tensor]) => nonFiniteFlag(tensor))]),
  );
  const values = await all.data();
  all.dispose();
  const [lossValue, gradientNorm] = [values[0]!, values[1]!];
  const flagsAt = typeof weight === 'number' ? 2 : 3;
  return {
    loss: lossValue,
    weight: typeof weight === 'number' ? weight : values[2]!,
    gradientNorm,
    finite: Number.isFinite(lossValue) && Number.isFinite(gradientNorm),
    badParts: floats.filter((_, i) => values[flagsAt + i] === 1).map(([name]) => name),
    norm,
  };
}

function floatParts(batch: Readonly<Record<string, tf.Tensor>>): [string, tf.Tensor][] {
  return Object.entries(batch).filter(([, tensor]) => tensor instanceof tf.Tensor && tensor.dtype === 'float32');
}

/** 1 where `tensor` holds a NaN or ±Infinity anywhere, else 0, as a float32 scalar. */
function nonFiniteFlag(tensor: tf.Tensor): tf.Scalar {
  return tf.cast(tf.any(tf.logicalNot(tf.isFinite(tensor))), 'float32') as tf.Scalar;
}

/**
 * The names of a batch's float tensors that hold NaN or ±Infinity: read when a step's loss is not finite, to tell bad
 * data from a learning rate that blew the weights up.
 */
export async function nonFiniteParts(batch: Readonly<Record<string, tf.Tensor>>): Promise<string[]> {
  const floats = floatParts(batch);
  if (floats.length === 0) return [];
  const flags = tf.tidy(() => tf.stack(floats.map(([, tensor]) => nonFiniteFlag(tensor))));
  const found = await flags.data();
  flags.dispose();
  return floats.filter((_, i) => found[i] === 1).map(([name]) => name);
}
