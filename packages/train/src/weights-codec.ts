import * as tf from '@tensorflow/tfjs';
import { DataError, ShapeError, type TrainableModel } from '@nnkit/core';

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

/**
 * Checks that `specs` (read from a file) is a list of weights nnkit can read: a name, a shape of whole numbers, and
 * float32 or int32, unquantized. `origin` names the file in the DataError.
 */
export function checkSpecs(specs: unknown, origin: string): asserts specs is tf.io.WeightsManifestEntry[] {
  if (!Array.isArray(specs))
    throw new DataError(
      `${origin} expects a list of weights, got ${JSON.stringify(specs) ?? 'none'}. The file is damaged; retrain or restore it.`,
    );
  specs.forEach((spec: Partial<tf.io.WeightsManifestEntry> | null, i) => {
    const wellFormed =
      typeof spec?.name === 'string' &&
      Array.isArray(spec.shape) &&
      spec.shape.every((n) => Number.isInteger(n) && n >= 0) &&
      (spec.dtype === 'float32' || spec.dtype === 'int32') &&
      spec.quantization === undefined;
    if (!wellFormed) {
      throw new DataError(
        `${origin} expects weight ${i} as { name, shape, dtype: 'float32' or 'int32' }, got ${JSON.stringify(spec)}. The file is damaged or was not written by nnkit; retrain or restore it.`,
      );
    }
  });
}

/** The first NaN or infinite float32 value in `data` (laid out as `specs` say), by weight name and element. */
export function firstNonFinite(
  data: Uint8Array,
  specs: readonly tf.io.WeightsManifestEntry[],
): { name: string; index: number; value: number } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'float32') {
      for (let i = 0; i < count; i++) {
        const value = view.getFloat32(offset + i * 4, true);
        if (!Number.isFinite(value)) return { name: spec.name, index: i, value };
      }
    }
    offset += count * 4;
  }
  return undefined;
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
  const byName =
    saved.every((name) => POSITIONAL.test(name)) && !expected.every((name) => POSITIONAL.test(name))
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
      throw new ShapeError(
        `${origin}: weight '${name}' expects shape [${variable.shape}], got [${value.shape}]. Was it saved from another config?`,
      );
    }
    // tfjs's assign would say only that two dtypes differ, after the weights before this one were replaced.
    if (value.dtype !== variable.dtype) {
      throw new DataError(
        `${origin}: weight '${name}' expects dtype ${variable.dtype}, got ${value.dtype}. The file's weights manifest was edited or written by another program; restore it or retrain.`,
      );
    }
  }
  for (const [name, variable] of Object.entries(model.weights)) variable.assign(byName[name]!);
}

function list(names: readonly string[]): string {
  const shown = names
    .slice(0, 12)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > 12 ? `${shown} … (${names.length} in all)` : shown;
}
