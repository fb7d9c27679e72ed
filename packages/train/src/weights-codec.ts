import * as tf from '@tensorflow/tfjs';

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

/** The weight names nnkit saves a model's variables under: by position, as `weights/0`, `weights/1`, … */
export function weightName(index: number): string {
  return `weights/${index}`;
}
