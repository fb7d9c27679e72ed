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
