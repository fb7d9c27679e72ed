import { axisTitle, type AxisSpec } from './theme.js';

/** An axis of a chart: its title and unit, and how it is scaled and labelled. */
export interface ChartAxis extends AxisSpec {
  /** A log10 scale, ticks at powers of ten labelled 10⁻³, 10⁻², … (values ≤ 0 cannot be shown and leave a gap). */
  readonly log?: boolean;
  /** Where ticks go (default: Vega's choice, or the powers of ten on a log axis). */
  readonly ticks?: readonly number[];
  /** A d3 format for tick labels: 'd' for integers, '.2f', '.1%', '~s' (default: Vega's choice). */
  readonly format?: string;
  /** The scale's extent (default: the data's, rounded to nice values). */
  readonly domain?: readonly [number, number];
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10ᵏ as a reader writes it: 1, 10, 10², 10⁻³. */
export function powerOfTen(exponent: number): string {
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return `10${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** The Vega-Lite `scale` and `axis` of a quantitative channel; `values` are the data on it (for a log axis's ticks). */
export function quantitativeAxis(
  axis: ChartAxis,
  values: readonly number[],
): { scale: Record<string, unknown>; axis: Record<string, unknown>; title: string } {
  const title = axisTitle(axis, axis.log ? 'log scale' : undefined);
  if (!axis.log) {
    return {
      title,
      scale: { zero: false, ...(axis.domain && { domain: [...axis.domain] }) },
      // Ticks given are all drawn: Vega thins explicit values to the count its minimum step allows (1 for an integer
      // format: on [0, 2], ticks 0 and 2 only), so the step is made small enough to allow them all.
      axis: {
        ...(axis.ticks && { values: [...axis.ticks], labelOverlap: false, tickMinStep: 1e-9 }),
        ...(axis.format && { format: axis.format }),
      },
    };
  }
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  const [low, high] = axis.domain ?? (positive.length ? [Math.min(...positive), Math.max(...positive)] : [1, 10]);
  let [lowExp, highExp] = [Math.floor(Math.log10(low) + 1e-9), Math.ceil(Math.log10(high) - 1e-9)];
  if (highExp === lowExp) highExp += 1;
  const step = Math.max(1, Math.ceil((highExp - lowExp) / 9));
  // Ticks at multiples of the step (10⁻⁵, 10⁰, 10⁵, …), the domain widened to the ticks around the data.
  lowExp = Math.floor(lowExp / step) * step;
  highExp = Math.ceil(highExp / step) * step;
  const exponents: number[] = [];
  for (let e = lowExp; e <= highExp; e += step) exponents.push(e);
  const labels = exponents.map(powerOfTen);
  return {
    title,
    scale: { type: 'log', domain: [10 ** lowExp, 10 ** highExp], nice: false },
    axis: {
      labelOverlap: false,
      values: axis.ticks ? [...axis.ticks] : exponents.map((e) => 10 ** e),
      // Vega's expression language: the label of 10^k, looked up by k.
      labelExpr: axis.ticks ? undefined : `${JSON.stringify(labels)}[(round(log(datum.value) / LN10) - (${lowExp})) / ${step}]`,
    },
  };
}
