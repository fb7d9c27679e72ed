import * as tf from '@tensorflow/tfjs';

/**
 * Metrics for classifiers and language models. Each takes a batch and returns a scalar mean; the derived ones
 * turn a mean cross-entropy (in nats per token) into what papers report.
 */

/** Fraction of rows whose highest score is the labelled class. `labels`: one-hot (n, classes) or class ids (n). */
export function accuracy(scores: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const predicted = tf.argMax(scores, -1);
    const expected = labels.rank === scores.rank ? tf.argMax(labels, -1) : tf.cast(labels, 'int32');
    return tf.mean(tf.cast(tf.equal(predicted, expected), 'float32')) as tf.Scalar;
  });
}

/** Mean cross-entropy −Σ y log softmax(logits), in nats: the lecture's E = −Σ_t y_t log ŷ_t, averaged. */
export function crossEntropy(logits: tf.Tensor, oneHotLabels: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(oneHotLabels, logits) as tf.Scalar;
}

/** exp(mean cross-entropy in nats): the language-model perplexity of Mikolov et al. 2010. */
export function perplexity(meanCrossEntropyNats: number): number {
  return Math.exp(meanCrossEntropyNats);
}

/** Mean cross-entropy in bits per symbol: nats / ln 2 (character language models report this). */
export function bitsPerCharacter(meanCrossEntropyNats: number): number {
  return meanCrossEntropyNats / Math.LN2;
}
