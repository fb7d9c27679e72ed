import { ConfigError } from '@nnkit/core';

/**
 * A seed for one use of randomness inside a run, derived by name from the run's seed: `deriveSeed(seed, 'decoder', t)`
 * seeds the decoder's dropout at step t, `deriveSeed(seed, 'encoder', 'layer', l)` an encoder layer's. Every use has
 * its own name, so two uses never share a stream by accident (as `seed + 7919 * t` and `seed + 101 * l` could collide)
 * and adding a use shifts no other one's numbers — the same idea as the kit's `seed(label)` for initialization.
 *
 * Pure: the same seed and names always give the same unsigned 32-bit integer, on every platform. FNV-1a over the
 * seed's four bytes and the names joined by '/', then murmur3's finalizer, so that names that differ in their last
 * character (step 1 and step 2) give seeds that differ in about half their bits.
 */
export function deriveSeed(seed: number, ...names: readonly (string | number)[]): number {
  if (!Number.isInteger(seed))
    throw new ConfigError(`deriveSeed expects an integer seed, got ${seed}. Round it, or derive it with deriveSeed itself.`, 'seed');
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ (byte & 0xff), 0x01000193) >>> 0;
  };
  const word = seed >>> 0;
  for (let shift = 0; shift < 32; shift += 8) mix(word >>> shift);
  const label = names.join('/');
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    mix(code);
    mix(code >>> 8);
  }
  // murmur3's fmix32: every input bit reaches every output bit.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}
