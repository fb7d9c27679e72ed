import * as tf from '@tensorflow/tfjs';
import type { Kit, ModelInstance, OptimizerSpec } from '@nnkit/core';
import type { TextCorpus } from '@nnkit/datasets';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { evaluateStream, toStreams, train } from '@nnkit/train';

export interface LanguageModelRun {
  readonly instance: ModelInstance<LanguageModel>;
  /** Validation cross-entropy (nats per token) before training and after each epoch. */
  readonly validationCurve: number[];
  /** The epoch whose weights the model ends with: the best on validation (0: none improved on the untrained model). */
  readonly bestEpoch: number;
  readonly validation: number;
  readonly test: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
}

export interface FitOptions {
  readonly key: string;
  readonly config: Record<string, unknown>;
  readonly corpus: TextCorpus;
  readonly epochs: number;
  /** Parallel streams (the batch) and the BPTT window (k1 = k2). */
  readonly streams: number;
  readonly window: number;
  /** The optimizer and its starting rate, which the schedule below halves. */
  readonly optimizer: OptimizerSpec;
  /** Gradient clipping by global norm. */
  readonly clipNorm: number;
  readonly label: string;
}

/**
 * Trains a language model with truncated BPTT, clipping by global norm, and the schedule of Mikolov's RNNLM
 * toolkit: after an epoch that improves the validation cross-entropy by less than 1% the learning rate halves, and
 * after one that makes it worse the weights go back to the best epoch's first. Measures validation and test
 * cross-entropy of the best weights, the state carried through each whole split.
 */
export async function fitLanguageModel(kit: Kit, options: FitOptions): Promise<LanguageModelRun> {
  const { corpus, streams, window } = options;
  const instance = await kit.createModel<LanguageModel>(options.key, { config: { vocabularySize: corpus.vocabulary.tokens.length, ...options.config } });
  const data = toStreams(corpus.train, streams);
  const validation = toStreams(corpus.validation, 4);
  const test = toStreams(corpus.test, 4);
  try {
    const validationCurve = [await evaluateStream(instance.model, validation)];
    let best = { loss: validationCurve[0]!, epoch: 0, weights: snapshot(instance.model) };
    let rate = options.optimizer.learningRate;
    const started = performance.now();
    await train({
      model: instance.model, data, bptt: { k1: window, k2: window }, epochs: options.epochs, clip: { norm: options.clipNorm },
      optimizer: options.optimizer, learningRate: () => rate,
      callbacks: [{
        async onEpochEnd(log) {
          const loss = await evaluateStream(instance.model, validation);
          validationCurve.push(loss);
          const improved = loss < best.loss;
          if (loss > best.loss * 0.99) rate /= 2;
          if (improved) {
            tf.dispose(Object.values(best.weights));
            best = { loss, epoch: log.epoch, weights: snapshot(instance.model) };
          } else {
            for (const [name, w] of Object.entries(instance.model.weights)) w.assign(best.weights[name]!);
          }
          kit.progress.log(`${options.label} epoch ${log.epoch}: validation ${loss.toFixed(4)} nats/token${improved ? '' : `, back to epoch ${best.epoch}'s weights`}, next learning rate ${rate.toExponential(1)}`);
        },
      }],
      seed: kit.random.derive(`rnn-lm/${options.label}`), progress: kit.progress, label: options.label,
    });
    const seconds = (performance.now() - started) / 1000;
    tf.dispose(Object.values(best.weights));
    return {
      instance, validationCurve, seconds, bestEpoch: best.epoch,
      validation: best.loss,
      test: await evaluateStream(instance.model, test),
      tokensPerSecond: (options.epochs * data.xs.size) / seconds,
    };
  } finally {
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys, test.xs, test.ys]);
  }
}

/** A copy of every weight by name, to go back to. */
function snapshot(model: LanguageModel): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(model.weights).map(([name, w]) => [name, tf.clone(w)]));
}
