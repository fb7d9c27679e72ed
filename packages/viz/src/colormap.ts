/** Colour maps from a value in [0, 1] to RGB. */
export type ColorMap = (t: number) => readonly [number, number, number];

export const greys: ColorMap = (t) => {
  const v = Math.round(255 * (1 - clamp01(t)));
  return [v, v, v];
};

/** Ink on paper: 0 is white, 1 black (how digits are shown). */
export const ink: ColorMap = greys;

/** A perceptually ordered dark-blue → green → yellow map (after matplotlib's viridis), sampled at 5 points. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export const viridis: ColorMap = (t) => {
  const x = clamp01(t) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i]!, VIRIDIS[i + 1]!];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
};

/** Blue for negative, white for zero, red for positive: t = 0.5 is zero. */
export const diverging: ColorMap = (t) => {
  const x = clamp01(t) * 2 - 1;
  return x < 0 ? [Math.round(255 * (1 + x)), Math.round(255 * (1 + x)), 255] : [255, Math.round(255 * (1 - x)), Math.round(255 * (1 - x))];
};

export function clamp01(t: number): number {
  return Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
}

/** The smallest and largest of `values`: the range a tile's colours stretch over ([0, 1] when there are none). */
export function extent(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Number.isFinite(low) ? [low, high] : [0, 1];
}
