import * as tf from '@tensorflow/tfjs';
import { floatType, nativeBackend, runNativeOp } from '@nnkit/ops';

/** Whether `blockLstm` can run here: on the native `tensorflow` backend (tfjs-node), whose TensorFlow has the op. */
export const hasBlockLstm = (): boolean => nativeBackend() !== undefined;

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
    const [i, cs, f, o, ci, co, h] = runNativeOp(backend, 'BlockLSTM', [xs!, cs0!, hs0!, kernel!, noPeephole, noPeephole, noPeephole, bias!], [...attrs, floatType(backend)], 7, steps);
    save([xs!, cs0!, hs0!, kernel!, bias!, noPeephole, i!, cs!, f!, o!, ci!, co!, h!]);
    return {
      value: tf.concat([h!, cs!], 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, scs0, shs0, skernel, sbias, zeros, si, scs, sf, so, sci, sco, sh] = saved as tf.Tensor[];
        const [hGrad, csGrad] = tf.split(dy, 2, 2);
        const grads = runNativeOp(
          backend,
          'BlockLSTMGrad',
          [sx!, scs0!, shs0!, skernel!, zeros!, zeros!, zeros!, sbias!, si!, scs!, sf!, so!, sci!, sco!, sh!, csGrad!, hGrad!],
          [...attrs.filter((attr) => attr.name === 'use_peephole'), floatType(backend)],
          8,
          steps,
        );
        // x, cs_prev, h_prev, w, (three peephole gradients, unused), b.
        tf.dispose([grads[4]!, grads[5]!, grads[6]!]);
        return [grads[0]!, grads[1]!, grads[2]!, grads[3]!, grads[7]!];
      },
    };
  });
  return run(x, c0, h0, w, b) as tf.Tensor3D;
}
