import * as tf from '@tensorflow/tfjs';
import { floatType, nativeBackend, runNativeOp, type NativeAttr, type NativeBackend } from '@nnkit/ops';

/** Whether `blockLstm` can run here: on the native `tensorflow` backend (tfjs-node), whose TensorFlow has the op. */
export const hasBlockLstm = (): boolean => nativeBackend() !== undefined;

/** A boolean attribute set to false (no peepholes, no transposes). */
const off = (backend: NativeBackend, name: string): NativeAttr => ({ name, type: backend.binding.TF_ATTR_BOOL, value: false });

/** LSTMBlockCellGrad's attributes: no peepholes, float32. */
const cellGradAttributes = (backend: NativeBackend): NativeAttr[] => [off(backend, 'use_peephole'), floatType(backend)];

/** BlockLSTM's and LSTMBlockCell's attributes: no extra forget bias (the caller's bias has it), no clipping, no peepholes. */
function forwardAttributes(backend: NativeBackend): NativeAttr[] {
  const { binding } = backend;
  return [
    { name: 'forget_bias', type: binding.TF_ATTR_FLOAT, value: 0 },
    { name: 'cell_clip', type: binding.TF_ATTR_FLOAT, value: -1 },
    off(backend, 'use_peephole'),
    floatType(backend),
  ];
}

/**
 * A whole LSTM layer over a sequence in one TensorFlow kernel, BlockLSTM (TensorFlow's `tf.raw_ops.BlockLSTM`, the
 * op behind `LSTMBlockFusedCell`), instead of about 15 tfjs ops per step, and its gradient in two kernels per step
 * and three large products (`backward`, below). `x` is time-major (T, batch, I); `w` is (I + H, 4H) over [x_t, h_{t−1}] with the gates'
 * columns in TensorFlow's order i, C̃, f, o; `b` is (4H). No peepholes, no cell clipping, no extra forget bias (the
 * caller's bias has it). Returns (T, batch, 2H): every step's h next to its cell state C, so that a gradient can reach
 * both. Only on the native backend (`hasBlockLstm()`).
 */
export function blockLstm(x: tf.Tensor3D, c0: tf.Tensor2D, h0: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor3D {
  const backend = nativeBackend();
  if (!backend) throw new Error(`blockLstm expects the native 'tensorflow' backend, got '${tf.getBackend()}'. Check hasBlockLstm() first.`);
  const steps = x.shape[0];
  const units = h0.shape[1];
  const run = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [xs, cs0, hs0, kernel, bias] = args as tf.Tensor[];
    const save = args[5] as (saved: tf.Tensor[]) => void;
    const noPeephole = tf.zeros([units]);
    // i, cs, f, o, ci, co, h: each (T, batch, H).
    const [i, cs, f, o, ci, co, h] = runNativeOp(
      backend,
      'BlockLSTM',
      [xs!, cs0!, hs0!, kernel!, noPeephole, noPeephole, noPeephole, bias!],
      forwardAttributes(backend),
      7,
      steps,
    );
    save([xs!, cs0!, hs0!, kernel!, bias!, noPeephole, i!, cs!, f!, o!, ci!, co!, h!]);
    return {
      value: tf.concat([h!, cs!], 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, scs0, shs0, skernel, sbias, zeros, si, scs, sf, so, sci, sco, sh] = saved as tf.Tensor[];
        return backward(backend, dy, {
          x: sx!,
          cs0: scs0!,
          h0: shs0!,
          w: skernel!,
          b: sbias!,
          zeros: zeros!,
          i: si!,
          cs: scs!,
          f: sf!,
          o: so!,
          ci: sci!,
          co: sco!,
          h: sh!,
        });
      },
    };
  });
  return run(x, c0, h0, w, b) as tf.Tensor3D;
}

/** What BlockLSTM's forward pass leaves for the backward one: its inputs and every step's gates and states (T, batch, H). */
interface ForwardRecord {
  readonly x: tf.Tensor;
  readonly cs0: tf.Tensor;
  readonly h0: tf.Tensor;
  readonly w: tf.Tensor;
  readonly b: tf.Tensor;
  /** Zero peephole weights (H), which the kernels take as inputs. */
  readonly zeros: tf.Tensor;
  readonly i: tf.Tensor;
  readonly cs: tf.Tensor;
  readonly f: tf.Tensor;
  readonly o: tf.Tensor;
  readonly ci: tf.Tensor;
  readonly co: tf.Tensor;
  readonly h: tf.Tensor;
}

/**
 * The gradients of x, C₀, h₀, W and b from dy = [dh | dC] (T, batch, 2H). TensorFlow's BlockLSTMGrad computes them
 * too, but adds each step's x_t·h_{t−1} product into ∂W one small GEMM at a time (batch 32: 130 ms for a 64-step
 * window here, four times the forward pass, and slower on two threads than on one). Here only what must be sequential
 * is: per step, LSTMBlockCellGrad (the gates' gradient, one kernel) and ∂h_{t−1} = ∂gates · W_hᵀ; then ∂W, ∂b and ∂x
 * come from every step's gate gradients at once, in one large product each, as PyTorch's LSTM forms them.
 */
function backward(backend: NativeBackend, dy: tf.Tensor, saved: ForwardRecord): tf.Tensor[] {
  const { x, cs0, h0, w, b, zeros } = saved;
  const [steps, , inputSize] = x.shape as [number, number, number];
  const units = h0.shape[1]!;
  return tf.tidy(() => {
    const [hGrad, csGrad] = tf.split(dy, 2, 2).map((t) => tf.unstack(t));
    const [xs, is, css, fs, os, cis, cos, hs] = [x, saved.i, saved.cs, saved.f, saved.o, saved.ci, saved.co, saved.h].map((t) =>
      tf.unstack(t),
    );
    const wInput = tf.slice(w, [0, 0], [inputSize, 4 * units]);
    // W_hᵀ made once: TensorFlow's MatMul on a pre-transposed matrix is the fastest of the ways to take the per-step
    // product (11 ms for a 64-step window against 15 ms through tf.matMul and 32 ms with transpose_b, 2 threads).
    const wHiddenT = tf.transpose(tf.slice(w, [inputSize, 0], [units, 4 * units]));
    const attrs = cellGradAttributes(backend);
    let dh: tf.Tensor = tf.zerosLike(h0);
    let dc: tf.Tensor = tf.zerosLike(cs0);
    const gateGrads: tf.Tensor[] = new Array(steps);
    for (let t = steps - 1; t >= 0; t--) {
      const [hPrev, csPrev] = t > 0 ? [hs![t - 1]!, css![t - 1]!] : [h0, cs0];
      // cs_prev_grad, dicfo (the gates' pre-activation gradients, columns i, C̃, f, o), three peephole gradients.
      const [csPrevGrad, dicfo, ...peepholes] = runNativeOp(
        backend,
        'LSTMBlockCellGrad',
        [
          xs![t]!,
          csPrev,
          hPrev,
          w,
          zeros,
          zeros,
          zeros,
          b,
          is![t]!,
          css![t]!,
          fs![t]!,
          os![t]!,
          cis![t]!,
          cos![t]!,
          tf.add(csGrad![t]!, dc),
          tf.add(hGrad![t]!, dh),
        ],
        attrs,
        5,
      );
      tf.dispose(peepholes);
      gateGrads[t] = dicfo!;
      [dh] = runNativeOp(
        backend,
        'MatMul',
        [dicfo!, wHiddenT],
        [off(backend, 'transpose_a'), off(backend, 'transpose_b'), floatType(backend)],
        1,
      ) as [tf.Tensor];
      dc = csPrevGrad!;
    }
    const gates = tf.reshape(tf.stack(gateGrads), [steps * x.shape[1]!, 4 * units]);
    const hPrevs = tf.concat([tf.expandDims(h0, 0), tf.slice(saved.h, [0, 0, 0], [steps - 1, -1, -1])], 0);
    const xh = tf.reshape(tf.concat([x, hPrevs], 2), [-1, inputSize + units]);
    const dw = tf.matMul(xh, gates, true, false);
    const dx = tf.reshape(tf.matMul(gates, wInput, false, true), x.shape);
    return [dx, dc, dh, dw, tf.sum(gates, 0)];
  });
}

/**
 * One LSTM step in one TensorFlow kernel, LSTMBlockCell (the op behind `tf.raw_ops.LSTMBlockCell`), instead of about
 * 14 tfjs ops, and its gradient in four kernels (LSTMBlockCellGrad, then the products for the inputs and the weights)
 * instead of about 30. `x` is (batch, I), `w` (I + H, 4H) over [x, h_{t−1}] with the gates' columns in TensorFlow's
 * order i, C̃, f, o; `b` (4H). Returns (batch, 2H): h_t next to C_t. Only on the native backend (`hasBlockLstm()`).
 */
export function lstmBlockCell(x: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const backend = nativeBackend();
  if (!backend)
    throw new Error(`lstmBlockCell expects the native 'tensorflow' backend, got '${tf.getBackend()}'. Check hasBlockLstm() first.`);
  const [inputSize, units] = [x.shape[1], h.shape[1]];
  const run = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [xs, cs0, hs0, kernel, bias] = args as tf.Tensor[];
    const save = args[5] as (saved: tf.Tensor[]) => void;
    const noPeephole = tf.zeros([units]);
    // i, cs, f, o, ci, co, h: each (batch, H).
    const [i, cs, f, o, ci, co, hNext] = runNativeOp(
      backend,
      'LSTMBlockCell',
      [xs!, cs0!, hs0!, kernel!, noPeephole, noPeephole, noPeephole, bias!],
      forwardAttributes(backend),
      7,
    );
    save([xs!, cs0!, hs0!, kernel!, bias!, noPeephole, i!, cs!, f!, o!, ci!, co!]);
    const value = tf.concat([hNext!, cs!], 1);
    hNext!.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, scs0, shs0, skernel, sbias, zeros, si, scs, sf, so, sci, sco] = saved as tf.Tensor[];
          const [dh, dcs] = tf.split(dy, 2, 1);
          // cs_prev_grad, dicfo (the gates' pre-activation gradients, columns i, C̃, f, o), three peephole gradients.
          const [csPrevGrad, gates] = runNativeOp(
            backend,
            'LSTMBlockCellGrad',
            [sx!, scs0!, shs0!, skernel!, zeros!, zeros!, zeros!, sbias!, si!, scs!, sf!, so!, sci!, sco!, dcs!, dh!],
            cellGradAttributes(backend),
            5,
          );
          const [dx, dhPrev] = tf.split(tf.matMul(gates!, skernel!, false, true), [inputSize, units], 1);
          const dw = tf.matMul(tf.concat([sx!, shs0!], 1), gates!, true, false);
          return [dx!, csPrevGrad!, dhPrev!, dw, tf.sum(gates!, 0)];
        }),
    };
  });
  return run(x, c, h, w, b) as tf.Tensor2D;
}
