import * as tf from '@tensorflow/tfjs';

/** A TensorFlow op attribute as tfjs-node's binding takes it. */
export interface NativeAttr {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}

/** What nnkit needs of tfjs-node's backend to run a TensorFlow op that tfjs has no kernel for, or runs as several. */
export interface NativeBackend {
  readonly binding: {
    readonly TF_ATTR_FLOAT: number;
    readonly TF_ATTR_BOOL: number;
    readonly TF_ATTR_TYPE: number;
    readonly TF_FLOAT: number;
    readonly TF_INT32: number;
    readonly TF_INT64: number;
    createTensor(shape: number[], dtype: number, values: Int32Array): number;
    deleteTensor(id: number): void;
    executeOp(name: string, attrs: NativeAttr[], inputIds: number[], outputs: number): unknown[];
  };
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: unknown): tf.Tensor;
}

/** tfjs-node's backend when it is the active one (and has the binding nnkit uses), else undefined. */
export function nativeBackend(): NativeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof backend.binding?.executeOp === 'function' &&
    typeof backend.getInputTensorIds === 'function' &&
    typeof backend.createOutputTensor === 'function'
    ? (backend as NativeBackend)
    : undefined;
}

/**
 * Runs TensorFlow's op `name` on `inputs` through tfjs-node's binding and returns its `outputs` tensors, which join
 * tfjs's memory accounting like any other. `leadingInt64`, when given, is passed first as an int64 scalar (ops such
 * as BlockLSTM take their sequence length so, and tfjs has no int64 tensors); it is made and freed here.
 */
export function runNativeOp(
  backend: NativeBackend,
  name: string,
  inputs: tf.Tensor[],
  attrs: NativeAttr[],
  outputs: number,
  leadingInt64?: number,
): tf.Tensor[] {
  const { binding } = backend;
  const scalar = leadingInt64 === undefined ? undefined : binding.createTensor([], binding.TF_INT64, new Int32Array([leadingInt64, 0])); // little-endian int64
  try {
    const ids = backend.getInputTensorIds(inputs);
    const metadata = binding.executeOp(name, attrs, scalar === undefined ? ids : [scalar, ...ids], outputs);
    return metadata.map((m) => backend.createOutputTensor(m));
  } finally {
    if (scalar !== undefined) binding.deleteTensor(scalar);
  }
}

/** The `T: float32` attribute most TensorFlow ops take. */
export const floatType = (backend: NativeBackend): NativeAttr => ({
  name: 'T',
  type: backend.binding.TF_ATTR_TYPE,
  value: backend.binding.TF_FLOAT,
});
