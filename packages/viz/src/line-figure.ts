import { quantitativeAxis, type ChartAxis } from './axes.js';
import type { Figure } from './figure.js';
import { cssColor, PALETTE, type Color } from './theme.js';
import { vegaLiteFigure, type VegaLiteFigureOptions } from './vega-lite.js';

export interface LineSeries {
  /** Shown in the legend. */
  readonly name: string;
  /** y at x = 1, 2, … (or at `x`). A non-finite value, or one ≤ 0 on a log axis, leaves a gap in the line. */
  readonly values: readonly number[];
  /** x of each value (default 1, 2, …, n). */
  readonly x?: readonly number[];
  /** Default: the palette's next colour. */
  readonly color?: Color;
  /** A dashed line (a baseline, a bound). Default false. */
  readonly dashed?: boolean;
}

/** A horizontal line across the whole chart, listed in the legend: a baseline or a target. */
export interface ReferenceLine {
  readonly name: string;
  readonly y: number;
  readonly color?: Color;
}

export interface LineFigureOptions extends VegaLiteFigureOptions {
  /** What the chart shows, in a few words. */
  readonly title: string;
  /** A line or two under the title: the setting, how to read it. */
  readonly subtitle?: string | readonly string[];
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  readonly series: readonly LineSeries[];
  /** Horizontal dashed lines, each in the legend. */
  readonly references?: readonly ReferenceLine[];
  /** The legend's title: what tells the lines apart (`cell`, `run`). */
  readonly legend: string;
  /** Draw a dot at each value too (for short curves, such as one value per epoch). Default false. */
  readonly points?: boolean;
  /** Size of the plot area in CSS pixels (default 560 × 300). */
  readonly width?: number;
  readonly height?: number;
}

/** Lines on labelled axes with a legend: loss curves, gradient norms through time, validation per epoch. */
export async function lineFigure(options: LineFigureOptions): Promise<Figure> {
  const { series, references = [] } = options;
  const names = [...series.map((s) => s.name), ...references.map((r) => r.name)];
  if (new Set(names).size !== names.length)
    throw new Error(`lineFigure expects a different name for each line, got ${JSON.stringify(names)}.`);
  const shown = (v: number) => Number.isFinite(v) && (!options.y.log || v > 0);
  const rows = series.flatMap((s) => s.values.map((y, i) => ({ x: s.x?.[i] ?? i + 1, y: shown(y) ? y : null, line: s.name })));
  const xs = rows.map((r) => r.x);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  for (const r of references) rows.push({ x: xMin, y: r.y, line: r.name }, { x: xMax, y: r.y, line: r.name });
  const colors = [
    ...series.map((s, i) => cssColor(s.color ?? PALETTE[i % PALETTE.length]!)),
    ...references.map((r) => cssColor(r.color ?? '#777')),
  ];
  const dashes = [...series.map((s) => (s.dashed ? [6, 4] : [1, 0])), ...references.map(() => [6, 4])];
  const x = quantitativeAxis(options.x, xs);
  const y = quantitativeAxis(
    options.y,
    rows.map((r) => r.y ?? NaN),
  );
  const legend = {
    title: options.legend,
    symbolType: 'stroke',
    symbolStrokeWidth: 3,
    symbolSize: 240,
    orient: names.join('').length > 60 ? 'bottom' : 'right',
    direction: 'vertical',
  };
  return vegaLiteFigure(
    {
      title: { text: options.title, ...(options.subtitle && { subtitle: [options.subtitle].flat() as string[] }) },
      width: options.width ?? 560,
      height: options.height ?? 300,
      data: { values: rows },
      mark: {
        type: 'line',
        strokeWidth: 2,
        invalid: 'break-paths-filter-domains',
        ...(options.points && { point: { size: 36 } }),
      },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: x.title, scale: x.scale, axis: x.axis },
        y: { field: 'y', type: 'quantitative', title: y.title, scale: y.scale, axis: y.axis },
        color: { field: 'line', type: 'nominal', scale: { domain: names, range: colors }, legend },
        strokeDash: { field: 'line', type: 'nominal', scale: { domain: names, range: dashes }, legend },
      },
    } as never,
    options,
  );
}
