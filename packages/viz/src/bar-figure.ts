import { quantitativeAxis, type ChartAxis } from './axes.js';
import type { Figure } from './figure.js';
import { axisTitle, cssColor, PALETTE, type AxisSpec, type Color } from './theme.js';
import { vegaLiteFigure, type VegaLiteFigureOptions } from './vega-lite.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Which legend entry it belongs to (`the network's answer`, `other digits`). */
  readonly group: string;
}

export interface BarFigureOptions extends VegaLiteFigureOptions {
  readonly title: string;
  readonly subtitle?: string | readonly string[];
  /** In order, left to right. */
  readonly bars: readonly Bar[];
  /** What the bars are (`digit`). */
  readonly x: AxisSpec;
  /** What their height is (`probability`). */
  readonly y: ChartAxis;
  /** The legend's title, and a colour per group (default: the palette in order of first appearance). */
  readonly legend: string;
  readonly colors?: Readonly<Record<string, Color>>;
  /** Write each bar's value above it with this d3 format ('.2f', '.0%'). Default: none. */
  readonly text?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Bars with labelled axes and a legend: a classifier's probabilities, a count per class. */
export async function barFigure(options: BarFigureOptions): Promise<Figure> {
  const groups = [...new Set(options.bars.map((b) => b.group))];
  const colors = groups.map((g, i) => cssColor(options.colors?.[g] ?? PALETTE[i % PALETTE.length]!));
  const data = options.bars.map((b, index) => ({ ...b, index }));
  const y = quantitativeAxis(
    options.y,
    options.bars.map((b) => b.value),
  );
  const x = {
    field: 'index',
    type: 'ordinal',
    title: axisTitle(options.x),
    axis: { labelExpr: `${JSON.stringify(options.bars.map((b) => b.label))}[datum.value]`, labelAngle: 0 },
  };
  return vegaLiteFigure(
    {
      title: { text: options.title, ...(options.subtitle && { subtitle: [options.subtitle].flat() as string[] }) },
      width: options.width ?? Math.max(240, 36 * options.bars.length),
      height: options.height ?? 240,
      data: { values: data },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: y.title, scale: y.scale, axis: y.axis } },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            color: {
              field: 'group',
              type: 'nominal',
              scale: { domain: groups, range: colors },
              legend: { title: options.legend },
            },
          },
        },
        ...(options.text
          ? [
              {
                mark: { type: 'text', dy: -7, fontSize: 11 },
                encoding: { text: { field: 'value', type: 'quantitative', format: options.text } },
              },
            ]
          : []),
      ],
    } as never,
    options,
  );
}
