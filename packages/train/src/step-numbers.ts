import * as tf from '@tensorflow/tfjs';
import { globalNorm } from '@nnkit/ops';

/**
 * What one step reads back from the device: its loss and the global norm of its gradients before clipping.
 * Either one non-finite means the update would ruin the weights, so the trainers check both before applying it.
 * `norm` is the norm as a tensor, for clipByGlobalNorm to reuse; the caller disposes it.
 */
export async function readStepNumbers(loss: tf.Scalar, grads: tf.NamedTensorMap): Promise<{ loss: number; gradientNorm: number; finite: boolean; norm: tf.Scalar }> {
  const norm = globalNorm(Object.values(grads));
  const both = tf.stack([loss, norm]);
  const [lossValue, gradientNorm] = (await both.data()) as unknown as [number, number];
  both.dispose();
  return { loss: lossValue, gradientNorm, finite: Number.isFinite(lossValue) && Number.isFinite(gradientNorm), norm };
}
