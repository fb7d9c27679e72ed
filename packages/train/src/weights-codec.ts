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

/** The weight names nnkit saves a model's variables under: by position, as `weights/0`, `weights/1`, … */
export function weightName(index: number): string {
  return `weights/${index}`;
}

/** A model's variables in tfjs's weights format, under the names nnkit saves them by. */
export function encodeModelWeights(model: TrainableModel): Promise<EncodedWeights> {
  return encodeWeights(model.trainableWeights.map((tensor, i) => ({ name: weightName(i), tensor })));
}

/** Puts decoded weights into the model's variables, position by position, checking count and shapes. */
export function assignWeights(model: TrainableModel, tensors: tf.NamedTensorMap, origin: string): void {
  const variables = model.trainableWeights;
  const count = Object.keys(tensors).length;
  if (count !== variables.length) {
    throw new ShapeError(`${origin} expects ${variables.length} weight tensors for this model, got ${count}. Was it saved from another model or config?`);
  }
  variables.forEach((variable, index) => {
    const value = tensors[weightName(index)]!;
    if (!tf.util.arraysEqual(value.shape, variable.shape)) {
      throw new ShapeError(`${origin}: weight ${index} expects shape [${variable.shape}], got [${value.shape}]. Was it saved from another config?`);
    }
    variable.assign(value);
  });
}
