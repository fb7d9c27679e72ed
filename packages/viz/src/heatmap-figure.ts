import type { Figure } from './figure.js';
import { axisTitle, type AxisSpec } from './theme.js';
import { vegaLiteFigure, type VegaLiteFigureOptions } from './vega-lite.js';

/** One matrix of a heatmap figure. */
export interface HeatmapPanel {
  /** Row-major values, rows × columns. NaN leaves a cell blank. */
  readonly values: ArrayLike<number>;
  /** A label per row (top to bottom) and per column (left to right); repeats are fine (an attention map's tokens). */
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** Above the panel, where a figure has several. */
  readonly title?: string;
}

export interface HeatmapColor {
  /** The colour scale's title in the legend, with its unit: `count`, `attention weight`, `activation`. */
  readonly title: string;
  /**
   * How values map to colour: 'linear'; 'log' (values > 0); 'symlog', linear near 0 and logarithmic beyond 1, for
   * counts where both the diagonal's thousands and a few mistakes must show. Default 'linear'.
   */
  readonly scale?: 'linear' | 'log' | 'symlog';
  /** Default 'viridis'; 'blueorange' (diverging) for signed values centred on 0. Any Vega scheme name works. */
  readonly scheme?: string;
  /** The values at the two ends of the scale (default: the data's extent; for a diverging scheme, ±max|v|). */
  readonly domain?: readonly [number, number];
}

export interface HeatmapFigureOptions extends VegaLiteFigureOptions {
  readonly title: string;
  readonly subtitle?: string | readonly string[];
  /** One matrix (`values`, `rows`, `columns`) or several side by side sharing one colour scale (`panels`). */
  readonly values?: ArrayLike<number>;
  readonly rows?: readonly string[];
  readonly columns?: readonly string[];
  readonly panels?: readonly HeatmapPanel[];
  /** What the rows and the columns are: `true digit`, `predicted digit`; `output token`, `input token`. */
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly color: HeatmapColor;
  /** Write each value in its cell with this d3 format ('d' for counts, '.2f'); false writes none. Default 'd'-like for integers, else '.2f', when the cells are large enough. */
  readonly text?: string | false;
  /** Side of a cell in CSS pixels (default: 40 for ≤ 12 columns, smaller for wider matrices, at least 14). */
  readonly cellSize?: number;
}

/** Sequential schemes that run from dark to light (the others run light to dark). */
const DARK_LOW = ['viridis', 'magma', 'inferno', 'plasma', 'cividis', 'turbo', 'darkblue', 'darkgold', 'darkgreen', 'darkmulti', 'darkred'];

/** Legend ticks on a log or symlog colour scale: 0 (symlog) and the powers of ten inside the domain. */
function logTicks([low, high]: readonly [number, number], scale: HeatmapColor['scale']): number[] | undefined {
  if (scale !== 'log' && scale !== 'symlog') return undefined;
  const ticks: number[] = scale === 'symlog' && low <= 0 ? [0] : [];
  for (let e = Math.ceil(Math.log10(Math.max(low, 1e-12))); 10 ** e <= high; e++) if (10 ** e >= low) ticks.push(10 ** e);
  return ticks;
}

function panelsOf(options: HeatmapFigureOptions): readonly HeatmapPanel[] {
  if (options.panels) return options.panels;
  if (!options.values || !options.rows || !options.columns)
    throw new Error('heatmapFigure expects values, rows and columns (or panels), got neither.');
  return [{ values: options.values, rows: options.rows, columns: options.columns }];
}

/** The scale's position of v in [0, 1], as the colour scale will place it: to choose black or white text on it. */
function position(v: number, [low, high]: readonly [number, number], scale: HeatmapColor['scale']): number {
  const f = scale === 'log' ? Math.log10 : scale === 'symlog' ? (x: number) => Math.sign(x) * Math.log1p(Math.abs(x)) : (x: number) => x;
  const span = f(high) - f(low);
  return span === 0 ? 0.5 : (f(v) - f(low)) / span;
}

/**
 * Matrices as coloured cells with a colour scale, each cell's value written in it: a confusion matrix with its
 * counts, an attention map, a small feature map with its numbers.
 */
export async function heatmapFigure(options: HeatmapFigureOptions): Promise<Figure> {
  const panels = panelsOf(options);
  for (const [i, p] of panels.entries()) {
    if (p.values.length !== p.rows.length * p.columns.length) {
      throw new Error(
        `heatmapFigure expects ${p.rows.length} × ${p.columns.length} = ${p.rows.length * p.columns.length} values in panel ${i}, got ${p.values.length}.`,
      );
    }
  }
  const all = panels.flatMap((p) => Array.from(p.values)).filter(Number.isFinite);
  const scheme = options.color.scheme ?? 'viridis';
  const diverging = ['blueorange', 'redblue', 'purplegreen', 'redyellowblue', 'blues-oranges'].includes(scheme);
  const darkLow = DARK_LOW.includes(scheme);
  const extent = all.length ? ([Math.min(...all), Math.max(...all)] as const) : ([0, 1] as const);
  const biggest = Math.max(Math.abs(extent[0]), Math.abs(extent[1])) || 1;
  const domain =
    options.color.domain ??
    (diverging ? ([-biggest, biggest] as const) : extent[0] === extent[1] ? ([extent[0], extent[0] + 1] as const) : extent);
  const widest = Math.max(...panels.map((p) => p.columns.length));
  const cell = options.cellSize ?? Math.max(14, Math.min(40, Math.floor(480 / widest)));
  const integers = all.every(Number.isInteger);
  const format = options.text === undefined ? (cell >= 24 ? (integers ? 'd' : '.2f') : false) : options.text;
  const colorScale = {
    type: options.color.scale ?? 'linear',
    scheme,
    domain: [...domain],
    ...(options.color.scale === 'symlog' && { constant: 1 }),
  };
  const ticks = logTicks(domain, options.color.scale);
  const gradientLength = Math.max(120, Math.min(300, cell * Math.max(...panels.map((p) => p.rows.length))));
  const longest = (labels: readonly string[]) => Math.max(...labels.map((l) => [...l].length));
  const layer = (p: HeatmapPanel) => {
    const data = Array.from(p.values, (value, i) => {
      const row = Math.floor(i / p.columns.length);
      const column = i % p.columns.length;
      const t = position(value, domain, options.color.scale);
      // White text where the cell is dark: both ends of a diverging scheme, the low end of viridis, the high end of blues.
      const ink = diverging ? (Math.abs(t - 0.5) > 0.3 ? 'white' : 'black') : (darkLow ? t < 0.55 : t > 0.55) ? 'white' : 'black';
      return { row, column, value: Number.isFinite(value) ? value : null, ink };
    });
    const labels = (list: readonly string[]) => `${JSON.stringify(list)}[datum.value]`;
    return {
      ...(p.title && { title: { text: p.title, fontSize: 13, anchor: 'middle' } }),
      width: { step: cell },
      height: { step: cell },
      data: { values: data },
      encoding: {
        x: {
          field: 'column',
          type: 'ordinal',
          title: axisTitle(options.x),
          axis: { labelExpr: labels(p.columns), labelAngle: longest(p.columns) > 3 ? -45 : 0, orient: 'bottom' },
        },
        y: { field: 'row', type: 'ordinal', title: axisTitle(options.y), axis: { labelExpr: labels(p.rows) } },
      },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: {
              field: 'value',
              type: 'quantitative',
              title: options.color.title,
              scale: colorScale,
              legend: { gradientLength, ...(ticks && { values: ticks, format: ',d' }) },
            },
          },
        },
        ...(format === false
          ? []
          : [
              {
                mark: { type: 'text', fontSize: Math.min(13, Math.floor(cell / 3)) },
                encoding: {
                  text: { field: 'value', type: 'quantitative', format },
                  color: { condition: { test: "datum.ink === 'white'", value: 'white' }, value: 'black' },
                },
              },
            ]),
      ],
    };
  };
  const title = { text: options.title, ...(options.subtitle && { subtitle: [options.subtitle].flat() as string[] }) };
  const spec =
    panels.length === 1
      ? { title, ...layer(panels[0]!) }
      : { title, hconcat: panels.map(layer), resolve: { scale: { color: 'shared' } }, spacing: 24 };
  return vegaLiteFigure(spec as never, options);
}
