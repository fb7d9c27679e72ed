import * as tf from '@tensorflow/tfjs';
import { ShapeError, defineModel, field, type Batch, type ConfigOf, type TrainableModel, type WeightMap } from '@nnkit/core';
import { fanInUniform, requireTensors, zerosVariable } from '@nnkit/ops';
import { relu, softmaxCrossEntropy } from '@nnkit/ops';

export const LENET5_CONFIG = {
  activation: field.oneOf(['scaled-tanh', 'tanh', 'relu'], {
    default: 'relu',
    description: "nonlinearity: 'scaled-tanh' is the paper's 1.7159·tanh(2x/3)",
  }),
  pooling: field.oneOf(['average', 'max'], {
    default: 'max',
    description: "subsampling (S2, S4): the paper's is an average",
  }),
};

export type LeNet5Config = ConfigOf<typeof LENET5_CONFIG>;

/** LeNet-5's layers, as the paper names them. */
export const LAYER_NAMES = ['input', 'C1', 'S2', 'C3', 'S4', 'C5', 'F6', 'output'] as const;

/** One layer's output, for pictures of what each layer responds to. */
export interface Activation {
  readonly name: (typeof LAYER_NAMES)[number];
  readonly tensor: tf.Tensor;
}

export interface LeNet5 extends TrainableModel {
  readonly config: LeNet5Config;
  /** Class probabilities (n, 10) for digits (n, 28, 28, 1) in [0, 1]. */
  predict(xs: tf.Tensor): tf.Tensor2D;
  /** Every layer's output for a batch, in order (the caller disposes them). */
  activations(xs: tf.Tensor): Activation[];
  /** The feature layers up to C5: (n, 120). */
  features(xs: tf.Tensor): tf.Tensor2D;
}

function activate(x: tf.Tensor, activation: LeNet5Config['activation']): tf.Tensor {
  switch (activation) {
    case 'relu':
      return relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'scaled-tanh':
      return tf.mul(1.7159, tf.tanh(tf.mul(2 / 3, x))); // LeCun et al. 1998, appendix A
  }
}

/**
 * LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998) on MNIST's 28×28 digits padded to the paper's 32×32:
 * C1 6@5×5 → 28×28, S2 2×2 → 14×14, C3 16@5×5 → 10×10, S4 2×2 → 5×5, C5 120@5×5 → 1×1, F6 84, 10 outputs.
 * Departures from the paper, as tfjs has them: S2/S4 are plain pooling (the paper's average has a trainable
 * coefficient and bias per map), C3 connects every S2 map (the paper's table connects 10 of 16 to a subset),
 * and the output is a softmax over 10 logits (the paper's is Euclidean RBF units with a MAP loss).
 */
export function createLeNet5(config: LeNet5Config, seed: (label: string) => number): LeNet5 {
  const k = config.activation === 'relu' ? 6 : 3;
  const c1 = fanInUniform([5, 5, 1, 6], 25, k, seed('lenet5/C1'));
  const c3 = fanInUniform([5, 5, 6, 16], 150, k, seed('lenet5/C3'));
  const c5 = fanInUniform([400, 120], 400, k, seed('lenet5/C5')); // a 5×5 conv on a 5×5 map is a dense layer
  const f6 = fanInUniform([120, 84], 120, k, seed('lenet5/F6'));
  const out = fanInUniform([84, 10], 84, 3, seed('lenet5/output'));
  const biases = [zerosVariable(6), zerosVariable(16), zerosVariable(120), zerosVariable(84), zerosVariable(10)];
  const [b1, b3, b5, b6, bOut] = biases as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const pool = (x: tf.Tensor4D) => (config.pooling === 'max' ? tf.maxPool(x, 2, 2, 'valid') : tf.avgPool(x, 2, 2, 'valid'));

  /** Every layer's output up to `last`, in LAYER_NAMES order. */
  const layers = (xs: tf.Tensor, last: 'C5' | 'output' = 'output'): tf.Tensor[] => {
    const input = tf.pad(xs as tf.Tensor4D, [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ]); // (n, 32, 32, 1)
    const C1 = activate(tf.add(tf.conv2d(input, c1 as tf.Tensor4D, 1, 'valid'), b1), config.activation) as tf.Tensor4D; // (n, 28, 28, 6)
    const S2 = pool(C1); // (n, 14, 14, 6)
    const C3 = activate(tf.add(tf.conv2d(S2, c3 as tf.Tensor4D, 1, 'valid'), b3), config.activation) as tf.Tensor4D; // (n, 10, 10, 16)
    const S4 = pool(C3); // (n, 5, 5, 16)
    const C5 = activate(tf.add(tf.matMul(tf.reshape(S4, [-1, 400]), c5), b5), config.activation); // (n, 120)
    if (last === 'C5') return [input, C1, S2, C3, S4, C5];
    const F6 = activate(tf.add(tf.matMul(C5, f6), b6), config.activation); // (n, 84)
    const output = tf.add(tf.matMul(F6, out), bOut); // (n, 10) logits
    return [input, C1, S2, C3, S4, C5, F6, output];
  };
  const logits = (xs: tf.Tensor) => layers(checkDigits(xs)).at(-1) as tf.Tensor2D;
  const weights: WeightMap = {
    'C1/kernel': c1,
    'C1/bias': b1,
    'C3/kernel': c3,
    'C3/bias': b3,
    'C5/kernel': c5,
    'C5/bias': b5,
    'F6/kernel': f6,
    'F6/bias': b6,
    'output/kernel': out,
    'output/bias': bOut,
  };
  return {
    config,
    weights,
    predict: (xs) => tf.tidy(() => tf.softmax(logits(xs))),
    activations: (xs) => tf.tidy(() => layers(checkDigits(xs))).map((tensor, i) => ({ name: LAYER_NAMES[i]!, tensor })),
    features: (xs) => tf.tidy(() => layers(checkDigits(xs), 'C5').at(-1) as tf.Tensor2D),
    // Sums over the batch, weighted by its size: the trainer and evaluate divide once, so means are exact.
    loss: (batch: Batch) => {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'LeNet-5');
      const labels = checkLabels(targets, inputs); // before the forward pass, which a refusal would leave behind
      return { sum: tf.sum(softmaxCrossEntropy(logits(inputs), labels)), weight: inputs.shape[0]! };
    },
    metrics: (batch: Batch) => {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'LeNet-5');
      return {
        accuracy: {
          sum: tf.tidy(
            () =>
              tf.sum(tf.cast(tf.equal(tf.argMax(logits(inputs), 1), tf.argMax(checkLabels(targets, inputs), 1)), 'float32')) as tf.Scalar,
          ),
          weight: inputs.shape[0]!,
        },
      };
    },
    dispose: () => tf.dispose(Object.values(weights)),
  };
}

/** LeNet-5 reads 28×28 grey digits: anything else is refused with the shape it got. */
function checkDigits(xs: tf.Tensor | undefined): tf.Tensor {
  if (xs === undefined || xs.rank !== 4 || xs.shape[1] !== 28 || xs.shape[2] !== 28 || xs.shape[3] !== 1) {
    throw new ShapeError(
      `LeNet-5 expects digits of shape (n, 28, 28, 1) as the batch's 'inputs', got ${xs === undefined ? 'no inputs' : `shape [${xs.shape}]`}. MNIST's images are 28×28 grey.`,
    );
  }
  return xs;
}

/** The targets: one-hot over the ten digits, one row per input; checked before the forward pass runs. */
function checkLabels(targets: tf.Tensor, inputs: tf.Tensor): tf.Tensor {
  if (targets.rank !== 2 || targets.shape[0] !== inputs.shape[0] || targets.shape[1] !== 10) {
    throw new ShapeError(
      `LeNet-5 expects one-hot digits of shape (${inputs.shape[0]}, 10) as the batch's 'targets', got shape [${targets.shape}]. Make them with tf.oneHot(labels, 10).`,
    );
  }
  return targets;
}

export const lenet5Model = defineModel({
  name: 'lenet5',
  description: 'LeNet-5 (LeCun et al. 1998) for 28×28 digits',
  task: 'tasks/labelled-images',
  config: LENET5_CONFIG,
  presets: {
    classic: {
      description: 'as close to the paper as tfjs allows: scaled tanh, average subsampling',
      config: { activation: 'scaled-tanh', pooling: 'average' },
    },
    modern: { description: 'ReLU and max pooling, trained with Adam', config: { activation: 'relu', pooling: 'max' } },
  },
  training: { dataset: 'datasets/mnist', optimizer: { name: 'adam', learningRate: 1e-3 }, batchSize: 64, epochs: 15 },
  create: (config, { kit }) => createLeNet5(config, (label) => kit.random.derive(label)),
});

// The names this plugin registers, typed for `kit.createModel('lenet5/lenet5')` (core's registry-types.ts).
declare module '@nnkit/core' {
  interface NnkitModels {
    'lenet5/lenet5': LeNet5;
  }
}
