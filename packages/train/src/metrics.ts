import * as tf from '@tensorflow/tfjs';
import { ConfigError, type Metric, type WeightedSum } from '@nnkit/core';
import { softmaxCrossEntropy } from '@nnkit/ops';

/**
 * Metrics for classifiers and language models. The batch-level ones return a sum and its weight, so that
 * evaluation can add them over a split and divide once at the end; the split-level ones accumulate over a pass.
 */

/** Rows whose highest score is the labelled class, out of all rows. `labels`: one-hot (n, classes) or class ids (n). */
export function accuracy(scores: tf.Tensor, labels: tf.Tensor): WeightedSum {
  const sum = tf.tidy(() => {
    const predicted = tf.argMax(scores, -1);
    const expected = labels.rank === scores.rank ? tf.argMax(labels, -1) : tf.cast(labels, 'int32');
    return tf.sum(tf.cast(tf.equal(predicted, expected), 'float32')) as tf.Scalar;
  });
  return { sum, weight: scores.shape[0]! };
}

/** Summed cross-entropy −Σ y log softmax(logits) in nats over the rows (the lecture's E = −Σ_t y_t log ŷ_t), and the row count. */
export function crossEntropy(logits: tf.Tensor, oneHotLabels: tf.Tensor): WeightedSum {
  return { sum: tf.tidy(() => tf.sum(softmaxCrossEntropy(logits, oneHotLabels))), weight: logits.shape[0]! };
}

/** exp(mean cross-entropy in nats): the language-model perplexity of Mikolov et al. 2010. */
export function perplexity(meanCrossEntropyNats: number): number {
  return Math.exp(meanCrossEntropyNats);
}

/** Mean cross-entropy in bits per symbol: nats / ln 2 (character language models report this). */
export function bitsPerCharacter(meanCrossEntropyNats: number): number {
  return meanCrossEntropyNats / Math.LN2;
}

/** A split-level metric computed from the loss's sum and weight over the whole split (not a mean of batch values). */
function fromLoss(name: string, finalize: (meanNats: number) => number): Metric {
  return {
    name,
    start() {
      let sum = 0;
      let weight = 0;
      return {
        add: (_batch, _model, loss) => {
          sum += loss.sum;
          weight += loss.weight;
        },
        result: () => finalize(sum / weight),
      };
    },
  };
}

/** Perplexity over a split, for a model whose loss is a cross-entropy in nats per token. */
export const perplexityMetric = (): Metric => fromLoss('perplexity', perplexity);

/** Bits per token over a split, likewise. */
export const bitsPerTokenMetric = (): Metric => fromLoss('bits_per_token', bitsPerCharacter);

/**
 * Accuracy over a split as a `Metric`, for a classifier with `predict`: rows whose highest score is the labelled
 * class (`targets` one-hot or class ids), out of all rows. A model whose `metrics` give `accuracy` needs no such
 * metric: evaluation adds those up itself.
 */
export const accuracyMetric = (): Metric => ({
  name: 'accuracy',
  start() {
    let correct = 0;
    let rows = 0;
    return {
      async add(batch, model) {
        if (typeof model.predict !== 'function' || !batch.inputs || !batch.targets) {
          throw new ConfigError(
            'accuracyMetric expects a model with predict and batches of inputs and targets, got ' +
              (typeof model.predict !== 'function' ? 'a model without predict' : `a batch of ${Object.keys(batch).join(', ')}`) +
              ". Use the model's own metrics for other batches.",
          );
        }
        const { sum, weight } = tf.tidy(() => {
          const scores = model.predict!(batch.inputs!);
          const { sum, weight } = accuracy(scores, batch.targets!);
          return { sum: tf.keep(sum), weight };
        });
        correct += (await sum.data())[0]!;
        sum.dispose();
        rows += weight as number;
      },
      result: () => (rows === 0 ? 0 : correct / rows),
    };
  },
});
