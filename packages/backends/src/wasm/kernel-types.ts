import type * as tf from '@tensorflow/tfjs';

/** The slice of a tfjs backend that nnkit's kernels use: moving data in and out and freeing it. */
export interface BackendData {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

export type KernelInputs = Record<string, tf.TensorInfo>;
export type KernelAttrs = Record<string, unknown>;
/** An image batch's or a filter's shape: (batch, height, width, channels) or (height, width, in, out). */
export type Shape4D = [number, number, number, number];

/** The attributes tfjs passes to Conv2DBackpropFilter and Conv2DBackpropInput. */
export interface ConvGradientAttrs {
  readonly strides: [number, number] | number;
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dataFormat: 'NHWC' | 'NCHW';
  /** Conv2DBackpropFilter: the filter's shape. */
  readonly filterShape?: Shape4D;
  /** Conv2DBackpropInput: the input's shape. */
  readonly inputShape?: Shape4D;
}
