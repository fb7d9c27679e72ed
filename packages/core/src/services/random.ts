/**
 * The kit's random seed. Everything random in nnkit (weight initialization, shuffling, sampling) derives its
 * own seed from this one by name, so adding a new random consumer does not shift the others' streams.
 */
export interface RandomSource {
  readonly seed: number;
  /** A seed for one purpose (`'shuffle'`, `'init/conv1'`): the same seed and label always give the same number. */
  derive(label: string): number;
}

/** FNV-1a over the label, mixed with the seed: cheap, deterministic, well spread. */
export function seededRandom(seed: number): RandomSource {
  return {
    seed,
    derive(label: string): number {
      let hash = (0x811c9dc5 ^ seed) >>> 0;
      for (let i = 0; i < label.length; i++) {
        hash ^= label.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      return hash;
    },
  };
}

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
