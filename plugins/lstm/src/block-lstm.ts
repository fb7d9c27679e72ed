import * as tf from '@tensorflow/tfjs';

/** What nnkit needs of tfjs-node's backend to run a TensorFlow op that tfjs has no kernel for. */
interface NativeBackend {
  readonly binding: {
    readonly TF_ATTR_FLOAT: number;
    readonly TF_ATTR_BOOL: number;
    readonly TF_ATTR_TYPE: number;
    readonly TF_FLOAT: number;
    readonly TF_INT64: number;
    createTensor(shape: number[], dtype: number, values: Int32Array): number;
    deleteTensor(id: number): void;
    executeOp(name: string, attrs: { name: string; type: number; value: unknown }[], inputIds: number[], outputs: number): unknown[];
  };
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: unknown): tf.Tensor;
}

function nativeBackend(): NativeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof backend.binding?.executeOp === 'function' && typeof backend.getInputTensorIds === 'function' && typeof backend.createOutputTensor === 'function'
    ? (backend as NativeBackend)
    : undefined;
}

/** Whether `blockLstm` can run here: on the native `tensorflow` backend (tfjs-node), whose TensorFlow has the op. */
export const hasBlockLstm = (): boolean => nativeBackend() !== undefined;

/**
 * Runs a TensorFlow op through tfjs-node's binding, with `steps` as its leading int64 scalar input (the sequence
 * length BlockLSTM and BlockLSTMGrad take first; tfjs has no int64 tensors, so it is made and freed here).
 */
function runWithLength(backend: NativeBackend, op: string, steps: number, inputs: tf.Tensor[], attrs: { name: string; type: number; value: unknown }[], outputs: number): tf.Tensor[] {
  const { binding } = backend;
  const length = binding.createTensor([], binding.TF_INT64, new Int32Array([steps, 0])); // little-endian int64
  try {
    const metadata = binding.executeOp(op, [...attrs, { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT }], [length, ...backend.getInputTensorIds(inputs)], outputs);
    return metadata.map((m) => backend.createOutputTensor(m));
  } finally {
    binding.deleteTensor(length);
  }
}

/**
 * A whole LSTM layer over a sequence in one TensorFlow kernel, BlockLSTM (TensorFlow's `tf.raw_ops.BlockLSTM`, the
 * op behind `LSTMBlockFusedCell`), and its gradient in one more, BlockLSTMGrad, instead of about 15 tfjs ops per step
 * forward and as many back. `x` is time-major (T, batch, I); `w` is (I + H, 4H) over [x_t, h_{t−1}] with the gates'
 * columns in TensorFlow's order i, C̃, f, o; `b` is (4H). No peepholes, no cell clipping, no extra forget bias (the
 * caller's bias has it). Returns (T, batch, 2H): every step's h next to its cell state C, so that a gradient can reach
 * both. Only on the native backend (`hasBlockLstm()`).
 */
export function blockLstm(x: tf.Tensor3D, c0: tf.Tensor2D, h0: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor3D {
  const backend = nativeBackend();
  if (!backend) throw new Error(`blockLstm expects the native 'tensorflow' backend, got '${tf.getBackend()}'. Check hasBlockLstm() first.`);
  const { binding } = backend;
  const steps = x.shape[0];
  const units = h0.shape[1];
  const attrs = [
    { name: 'forget_bias', type: binding.TF_ATTR_FLOAT, value: 0 },
    { name: 'cell_clip', type: binding.TF_ATTR_FLOAT, value: -1 },
    { name: 'use_peephole', type: binding.TF_ATTR_BOOL, value: false },
  ];
  const run = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [xs, cs0, hs0, kernel, bias] = args as tf.Tensor[];
    const save = args[5] as (saved: tf.Tensor[]) => void;
    const noPeephole = tf.zeros([units]);
    // i, cs, f, o, ci, co, h: each (T, batch, H).
    const [i, cs, f, o, ci, co, h] = runWithLength(backend, 'BlockLSTM', steps, [xs!, cs0!, hs0!, kernel!, noPeephole, noPeephole, noPeephole, bias!], attrs, 7);
    save([xs!, cs0!, hs0!, kernel!, bias!, noPeephole, i!, cs!, f!, o!, ci!, co!, h!]);
    return {
      value: tf.concat([h!, cs!], 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, scs0, shs0, skernel, sbias, zeros, si, scs, sf, so, sci, sco, sh] = saved as tf.Tensor[];
        const [hGrad, csGrad] = tf.split(dy, 2, 2);
        const grads = runWithLength(
          backend,
          'BlockLSTMGrad',
          steps,
          [sx!, scs0!, shs0!, skernel!, zeros!, zeros!, zeros!, sbias!, si!, scs!, sf!, so!, sci!, sco!, sh!, csGrad!, hGrad!],
          attrs.filter((attr) => attr.name === 'use_peephole'),
          8,
        );
        // x, cs_prev, h_prev, w, (three peephole gradients, unused), b.
        tf.dispose([grads[4]!, grads[5]!, grads[6]!]);
        return [grads[0]!, grads[1]!, grads[2]!, grads[3]!, grads[7]!];
      },
    };
  });
  return run(x, c0, h0, w, b) as tf.Tensor3D;
}
