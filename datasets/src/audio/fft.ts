import { ConfigError } from '@nnkit/core';

/**
 * In-place iterative radix-2 FFT (Cooley–Tukey, decimation in time) of a complex signal held as two arrays:
 * X[k] = Σ_n x[n] · e^(−2πi·kn/N). N must be a power of two. The twiddles and the bit-reversal permutation
 * depend only on N, so a transform is made once per size and reused for every frame.
 */
export interface ComplexFft {
  readonly size: number;
  transform(re: Float64Array, im: Float64Array): void;
}

function checkPowerOfTwo(size: number, what: string): void {
  if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
    throw new ConfigError(`${what} expects a size that is a power of two ≥ 2, got ${size}. Round it up to the next power of two.`);
  }
}

export function complexFft(size: number): ComplexFft {
  checkPowerOfTwo(size, 'complexFft');
  const bits = Math.log2(size);
  const reversed = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reversed[i] = r;
  }
  // cos and −sin of 2πk/N for k < N/2: every butterfly stage reads them with a stride.
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    transform(re, im) {
      for (let i = 0; i < size; i++) {
        const j = reversed[i]!;
        if (j > i) {
          [re[i], re[j]] = [re[j]!, re[i]!];
          [im[i], im[j]] = [im[j]!, im[i]!];
        }
      }
      for (let half = 1; half < size; half *= 2) {
        const stride = size / (2 * half);
        for (let start = 0; start < size; start += 2 * half) {
          for (let k = 0; k < half; k++) {
            const wr = cos[k * stride]!;
            const wi = sin[k * stride]!;
            const a = start + k;
            const b = a + half;
            const tr = wr * re[b]! - wi * im[b]!;
            const ti = wr * im[b]! + wi * re[b]!;
            re[b] = re[a]! - tr;
            im[b] = im[a]! - ti;
            re[a] = re[a]! + tr;
            im[a] = im[a]! + ti;
          }
        }
      }
    },
  };
}

/** The spectrum of a real signal: bins 0 … N/2 (the rest mirror them). */
export interface RealFft {
  readonly size: number;
  /** X[k] for k = 0 … N/2 of `input` (N samples), into `re` and `im` (N/2 + 1 each). */
  transform(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
}

/**
 * A real FFT of N points through one complex FFT of N/2 (the usual packing): z[n] = x[2n] + i·x[2n+1], Z = FFT(z),
 * then X[k] = E[k] + e^(−2πik/N)·O[k] with E[k] = (Z[k] + conj Z[N/2−k]) / 2 and O[k] = (Z[k] − conj Z[N/2−k]) / 2i,
 * the spectra of the even and odd samples. Half the work of transforming N complex points with zero imaginary parts.
 */
export function realFft(size: number): RealFft {
  checkPowerOfTwo(size, 'realFft');
  if (size < 4) throw new ConfigError(`realFft expects a size ≥ 4, got ${size}. Use a longer frame.`);
  const half = size / 2;
  const inner = complexFft(half);
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  const cos = Float64Array.from({ length: half }, (_, k) => Math.cos((2 * Math.PI * k) / size));
  const sin = Float64Array.from({ length: half }, (_, k) => -Math.sin((2 * Math.PI * k) / size));
  return {
    size,
    transform(input, re, im) {
      for (let n = 0; n < half; n++) {
        zr[n] = input[2 * n]!;
        zi[n] = input[2 * n + 1]!;
      }
      inner.transform(zr, zi);
      for (let k = 0; k < half; k++) {
        const m = k === 0 ? 0 : half - k; // Z[N/2 − k], with Z[N/2] = Z[0]
        const er = (zr[k]! + zr[m]!) / 2;
        const ei = (zi[k]! - zi[m]!) / 2;
        const or = (zi[k]! + zi[m]!) / 2;
        const oi = (zr[m]! - zr[k]!) / 2;
        re[k] = er + cos[k]! * or - sin[k]! * oi;
        im[k] = ei + cos[k]! * oi + sin[k]! * or;
      }
      // X[N/2] = E[0] − O[0], both real.
      re[half] = zr[0]! - zi[0]!;
      im[half] = 0;
    },
  };
}
