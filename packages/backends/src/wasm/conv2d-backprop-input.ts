import * as tf from '@tensorflow/tfjs';
import { tensorOf } from './conv2d-backprop-filter.js';
import type { ConvGradientAttrs, KernelAttrs, KernelInputs, Shape4D } from './kernel-types.js';

/**
 * The gradient of a stride-1 conv2d with respect to its input, as one forward conv2d on wasm's XNNPACK kernels:
 * dy padded by (K − 1 − pad) on each side, correlated with the filter rotated by 180° and with its channel
 * axes swapped. wasm's own Conv2DBackpropInput is a plain loop, measured here at a third of LeNet-5's step
 * time; strided convolutions keep it (they would need dy with zeros between its rows and columns first).
 * Returns undefined when this path does not apply.
 */
export function conv2dBackpropInputOnConv(inputs: KernelInputs, attrs: KernelAttrs): tf.Tensor4D | undefined {
  const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as ConvGradientAttrs;
  const inputShape = (attrs as unknown as ConvGradientAttrs).inputShape!;
  const filter = inputs.filter!;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4D, strides, 1, pad, dimRoundingMode);
  if (dataFormat !== 'NHWC' || info.strideHeight !== 1 || info.strideWidth !== 1) return undefined;
  const [kh, kw] = filter.shape as Shape4D;
  const { top, left } = info.padInfo;
  const [, height, width] = inputShape;
  // Output rows i take dy rows i + top − kh … i + top: pad dy so that every such row exists (zeros outside).
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  const padBottom = height + kh - 1 - info.outHeight - padTop;
  const padRight = width + kw - 1 - info.outWidth - padLeft;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) return undefined;
  return tf.tidy(() => {
    const dy = tensorOf(inputs.dy!) as tf.Tensor4D;
    const padded = tf.pad(dy, [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ]);
    const rotated = tf.transpose(tf.reverse(tensorOf(filter), [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // (kh, kw, co, ci)
    return tf.conv2d(padded, rotated, 1, 'valid');
  });
}
