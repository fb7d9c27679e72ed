import * as tf from '@tensorflow/tfjs';
import { DataError, ShapeError } from '@nnkit/core';
import { floatType, nativeBackend, runNativeOp, type NativeAttr, type NativeBackend } from './native.js';

/**
 * A softmax cross-entropy whose gradient, softmax − labels, is computed with the loss and kept for the backward pass
 * (as PyTorch's fused cross_entropy and TensorFlow's own ops do): on the native backend both come from one TensorFlow
 * kernel, where tf.losses.softmaxCrossEntropy takes about fifteen kernels over (rows, classes) each way. The gradient
 * reaches the logits only; labels are data.
 */
function fusedCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  native: { op: string; attrs: (backend: NativeBackend) => NativeAttr[] },
  composite: (x: tf.Tensor) => tf.Tensor[],
): tf.Tensor1D {
  const backend = nativeBackend();
  const loss = tf.customGrad((...args) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [perRow, backprop] = backend
      ? runNativeOp(backend, native.op, [x, labels], native.attrs(backend), 2)
      : tf.tidy(() => composite(x));
    save([backprop!]);
    return { value: perRow!, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(tf.expandDims(dy, 1), saved!) };
  });
  return loss(logits) as tf.Tensor1D;
}

function checkLogits(logits: tf.Tensor, op: string): void {
  if (logits.rank !== 2) throw new ShapeError(`${op} expects logits of shape (rows, classes), got shape [${logits.shape}].`);
}

/**
 * Softmax cross-entropy of each row of `logits` (N, C) against its class id in `labels` (N): −log softmax(row)[label],
 * one loss per row (N), from ids instead of one-hot rows (TensorFlow's SparseSoftmaxCrossEntropyWithLogits on the
 * native backend). Ids outside 0 … C − 1 are a DataError on the native backend, which checks them in its kernel;
 * elsewhere such a row's one-hot is zero and its loss is the row's log-sum-exp (checking would cost a read).
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  checkLogits(logits, 'sparseSoftmaxCrossEntropy');
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError(
      `sparseSoftmaxCrossEntropy expects one class id per row, shape [${logits.shape[0]}], got shape [${labels.shape}].`,
    );
  }
  const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
  try {
    return fusedCrossEntropy(
      logits,
      ids,
      {
        op: 'SparseSoftmaxCrossEntropyWithLogits',
        attrs: (b) => [floatType(b), { name: 'Tlabels', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_INT32 }],
      },
      (x) => withTargets(x, tf.oneHot(ids as tf.Tensor1D, x.shape[1]!)),
    );
  } catch (error) {
    // TensorFlow's kernel refuses ids out of range with a status message; say what was expected, and the fix.
    const detail = /label value of (-?\d+)/.exec(error instanceof Error ? error.message : '');
    if (!detail) throw error;
    throw new DataError(
      `sparseSoftmaxCrossEntropy expects class ids in 0 … ${logits.shape[1]! - 1}, got ${detail[1]}. Check the data's ids against the model's vocabulary size.`,
      { cause: error },
    );
  } finally {
    if (ids !== labels) ids.dispose();
  }
}

/**
 * Softmax cross-entropy of each row of `logits` (N, C) against a distribution over the classes in `labels` (N, C),
 * one-hot or not (each row summing to 1): −Σ labels · log softmax(row), one loss per row (N) (TensorFlow's
 * SoftmaxCrossEntropyWithLogits on the native backend).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  checkLogits(logits, 'softmaxCrossEntropy');
  if (labels.rank !== 2 || labels.shape[0] !== logits.shape[0] || labels.shape[1] !== logits.shape[1]) {
    throw new ShapeError(`softmaxCrossEntropy expects labels of the logits' shape [${logits.shape}], got shape [${labels.shape}].`);
  }
  const targets = labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32'); // tf.oneHot's rows are int32
  try {
    return fusedCrossEntropy(logits, targets, { op: 'SoftmaxCrossEntropyWithLogits', attrs: (b) => [floatType(b)] }, (x) =>
      withTargets(x, targets),
    );
  } finally {
    if (targets !== labels) targets.dispose();
  }
}

/** The loss per row and its gradient softmax − targets, from tfjs ops, for backends without TensorFlow's kernels. */
function withTargets(x: tf.Tensor, targets: tf.Tensor): tf.Tensor[] {
  const logSumExp = tf.logSumExp(x, 1, true);
  const logProbabilities = tf.sub(x, logSumExp);
  const perRow = tf.neg(tf.sum(tf.mul(targets, logProbabilities), 1));
  return [perRow, tf.sub(tf.exp(logProbabilities), targets)];
}

/**
 * The cross-entropy summed over every position of `logits` (…, C) against `ids` (…), each position weighted by
 * `mask` (…) when given (0 for padding): the loss sum the models hand the trainer, which divides it by the mask's
 * total (or the id count) once.
 */
export function sparseCrossEntropySum(logits: tf.Tensor, ids: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1]!;
  if (ids.size * classes !== logits.size) {
    throw new ShapeError(
      `sparseCrossEntropySum expects one class id per row of logits [${logits.shape}], shape [${logits.shape.slice(0, -1)}], got shape [${ids.shape}].`,
    );
  }
  return tf.tidy(() => {
    const perPosition = sparseSoftmaxCrossEntropy(tf.reshape(logits, [-1, classes]), tf.reshape(ids, [-1]));
    return tf.sum(mask === undefined ? perPosition : tf.mul(perPosition, tf.reshape(mask, [-1])));
  });
}
