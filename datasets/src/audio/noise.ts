/** Mean square of a signal: its power. */
export function signalPower(signal: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < signal.length; i++) sum += signal[i]! * signal[i]!;
  return signal.length === 0 ? 0 : sum / signal.length;
}

/** Standard normal numbers from uniform ones (Box–Muller), two at a time. */
function gaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random())); // 1 − u ∈ (0, 1]: never log(0)
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * The signal plus white Gaussian noise whose power is the signal's power over 10^(snrDb/10): at 20 dB the noise has
 * a hundredth of the signal's power. The signal's power is taken over the whole utterance, pauses included, as
 * most augmentation recipes do; `random` (uniform in [0, 1), e.g. mulberry32) makes it reproducible.
 */
export function addWhiteNoise(signal: Float32Array, snrDb: number, random: () => number): Float32Array {
  const scale = Math.sqrt(signalPower(signal) / 10 ** (snrDb / 10));
  const normal = gaussian(random);
  const out = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = signal[i]! + scale * normal();
  return out;
}
