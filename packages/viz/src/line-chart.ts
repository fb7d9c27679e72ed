import { drawDigits, textWidth } from './digits-font.js';
import { fillRect } from './grid.js';
import { blankImage, type RgbImage } from './png.js';

export interface Series {
  /** y values at x = 1, 2, …; non-finite values leave a gap. */
  readonly values: readonly number[];
  readonly color: readonly [number, number, number];
}

export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  /** Plot log10(y) (values ≤ 0 leave a gap), with a tick at every power of ten. */
  readonly logY?: boolean;
  /** x positions to label (default: 1, a quarter, half, three quarters, the last). */
  readonly xTicks?: readonly number[];
}

/** @deprecated Use `lineFigure` (title, axis titles with units, a legend). Lines on axes with numeric tick labels. */
export function lineChart(series: readonly Series[], options: LineChartOptions = {}): RgbImage {
  const { width = 640, height = 360, logY = false } = options;
  const image = blankImage(width, height);
  const transform = (v: number) => (logY ? (v > 0 ? Math.log10(v) : NaN) : v);
  const ys = series.flatMap((s) => s.values.map(transform)).filter(Number.isFinite);
  const length = Math.max(...series.map((s) => s.values.length), 2);
  let [low, high] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (logY) [low, high] = [Math.floor(low), Math.ceil(high)];
  if (high === low) high = low + 1;
  const text = 2;
  const [left, right, top, bottom] = [textWidth('-000', text) + 12, 12, 12, 7 * text + 12];
  const x = (i: number) => left + ((i - 1) / (length - 1)) * (width - left - right);
  const y = (v: number) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
  const grey = [200, 200, 200] as const;
  const ink = [60, 60, 60] as const;
  // y ticks: every power of ten (log) or five even steps
  const stepY = logY ? Math.max(1, Math.ceil((high - low) / 10)) : (high - low) / 5;
  for (let v = low; v <= high + 1e-9; v += stepY) {
    fillRect(image, left, Math.round(y(v)), width - left - right, 1, grey);
    const label = logY ? String(v) : v.toPrecision(2);
    drawDigits(image, label, left - textWidth(label, text) - 6, Math.round(y(v)) - 2 * text, text, ink);
  }
  const ticks = options.xTicks ?? [1, Math.round(length / 4), Math.round(length / 2), Math.round((3 * length) / 4), length];
  for (const t of ticks) {
    fillRect(image, Math.round(x(t)), height - bottom, 1, 6, ink);
    drawDigits(image, String(t), Math.round(x(t)) - Math.floor(textWidth(String(t), text) / 2), height - bottom + 8, text, ink);
  }
  fillRect(image, left, top, 1, height - top - bottom, ink);
  fillRect(image, left, height - bottom, width - left - right, 1, ink);
  for (const { values, color } of series) {
    for (let i = 1; i < values.length; i++) {
      const [a, b] = [transform(values[i - 1]!), transform(values[i]!)];
      if (Number.isFinite(a) && Number.isFinite(b)) drawLine(image, x(i), y(a), x(i + 1), y(b), color);
    }
  }
  return image;
}

/** A 2-pixel-wide straight line, sampled densely enough to leave no gaps. */
function drawLine(image: RgbImage, x0: number, y0: number, x1: number, y1: number, color: readonly [number, number, number]): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    fillRect(image, Math.round(x0 + t * (x1 - x0)), Math.round(y0 + t * (y1 - y0)), 2, 2, color);
  }
}
