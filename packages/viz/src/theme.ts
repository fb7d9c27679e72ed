import { FONT_FAMILY } from './fonts.js';

/** An RGB triple (0–255) or any CSS colour (`'#1f77b4'`, `'steelblue'`). */
export type Color = string | readonly [number, number, number];

export function cssColor(color: Color): string {
  return typeof color === 'string' ? color : `rgb(${color[0]}, ${color[1]}, ${color[2]})`;
}

/**
 * Series colours in order when a series names none: Tableau 10, the categorical palette of Vega, matplotlib and
 * d3, told apart by most readers with a colour vision deficiency when paired with the legend's dashes.
 */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

/** Sizes in CSS pixels shared by every figure, so that a report's figures read alike. */
export const TEXT = { title: 16, subtitle: 12, axisTitle: 13, label: 12, caption: 12 } as const;

/** Vega-Lite's `config` for every chart: the font, sizes that stay readable at 100%, a white background. */
export const VEGA_LITE_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  title: {
    fontSize: TEXT.title,
    subtitleFontSize: TEXT.subtitle,
    subtitleColor: '#444',
    anchor: 'start',
    offset: 12,
    subtitlePadding: 4,
  },
  axis: {
    labelFontSize: TEXT.label,
    titleFontSize: TEXT.axisTitle,
    titleFontWeight: 'normal',
    titleColor: '#222',
    labelColor: '#333',
    gridColor: '#e8e8e8',
  },
  legend: { labelFontSize: TEXT.label, titleFontSize: TEXT.label, labelLimit: 320, titleLimit: 320 },
  header: { labelFontSize: TEXT.label, titleFontSize: TEXT.axisTitle },
  view: { stroke: '#ccc' },
} as const;

/** The title of an axis with its unit: `step t`, `loss (nats per token)`. */
export interface AxisSpec {
  readonly title: string;
  /** Shown in parentheses after the title (`s`, `nats per token`); leave out for counts and indices. */
  readonly unit?: string;
}

export function axisTitle(axis: AxisSpec, suffix?: string): string {
  const parts = [axis.unit, suffix].filter(Boolean);
  return parts.length > 0 ? `${axis.title} (${parts.join(', ')})` : axis.title;
}
