import * as tf from '@tensorflow/tfjs';
import { ShapeError, type TrainableModel } from '@nnkit/core';

/** Named tensors in tfjs's weights format: specs (name, shape, dtype) and one buffer, as in a model.json manifest. */
export interface EncodedWeights {
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly data: Uint8Array;
}

export async function encodeWeights(named: readonly { name: string; tensor: tf.Tensor }[]): Promise<EncodedWeights> {
  const { data, specs } = await tf.io.encodeWeights(named.map(({ name, tensor }) => ({ name, tensor })));
  return { specs, data: new Uint8Array(data as ArrayBuffer) };
}

export function decodeWeights(data: Uint8Array, specs: tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  // decodeWeights wants an ArrayBuffer that starts at the data: copy out of a larger file's buffer.
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, specs);
}

/** Bytes the weights described by `specs` take (nnkit saves float32 and int32 only: 4 bytes an element). */
export function byteLength(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
}

/** A model's variables in tfjs's weights format, under their stable names (`C1/kernel`). */
export function encodeModelWeights(model: TrainableModel): Promise<EncodedWeights> {
  return encodeWeights(Object.entries(model.weights).map(([name, tensor]) => ({ name, tensor })));
}

/** nnkit 1.0 saved weights by position, as `weights/0`, `weights/1`, … in the model's own order. */
const POSITIONAL = /^weights\/(\d+)$/;

/**
 * Puts saved weights into the model's variables by name, as PyTorch's `load_state_dict(strict=True)`: a weight the
 * file lacks, or one the model lacks, is refused with every such name listed, and so is a shape that differs.
 * Files from nnkit 1.0, whose weights are named by position, are read in the model's own order.
 */
export function assignWeights(model: TrainableModel, tensors: tf.NamedTensorMap, origin: string): void {
  const expected = Object.keys(model.weights);
  const saved = Object.keys(tensors);
  const byName = saved.every((name) => POSITIONAL.test(name)) && !expected.every((name) => POSITIONAL.test(name))
    ? Object.fromEntries(saved.map((name) => [expected[Number(POSITIONAL.exec(name)![1])] ?? name, tensors[name]!]))
    : tensors;
  const missing = expected.filter((name) => !(name in byName));
  const unexpected = Object.keys(byName).filter((name) => !(name in model.weights));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new ShapeError(
      `${origin} expects the weights ${list(expected)}` +
        `, got ${missing.length > 0 ? `none for ${list(missing)}` : ''}${missing.length > 0 && unexpected.length > 0 ? ' and ' : ''}` +
        `${unexpected.length > 0 ? `unexpected ${list(unexpected)}` : ''}. Was it saved from another model or config?`,
    );
  }
  for (const [name, variable] of Object.entries(model.weights)) {
    const value = byName[name]!;
    if (!tf.util.arraysEqual(value.shape, variable.shape)) {
      throw new ShapeError(`${origin}: weight '${name}' expects shape [${variable.shape}], got [${value.shape}]. Was it saved from another config?`);
    }
  }
  for (const [name, variable] of Object.entries(model.weights)) variable.assign(byName[name]!);
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => `'${n}'`).join(', ');
  return names.length > 12 ? `${shown} … (${names.length} in all)` : shown;
}
