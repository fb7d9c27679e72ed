import type { TopLevelSpec } from 'vega-lite';
import { PIXEL_RATIO, type Figure } from './figure.js';
import { textWidth } from './fonts.js';
import { VEGA_LITE_CONFIG } from './theme.js';

export interface VegaLiteFigureOptions {
  /**
   * Called with each warning Vega-Lite gives while compiling (a channel it ignored, a scale it changed). Default:
   * printed on stderr once per message, so that a figure that lost something says so.
   */
  readonly onWarning?: (message: string) => void;
}

interface TextItem {
  readonly text?: unknown;
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
}

/**
 * Vega lays out titles, legends and labels by text width; in Node, without a canvas, it guesses 0.8 em a character,
 * which leaves wide empty margins. It takes a measuring function instead (as vl-convert gives it): DejaVu Sans's own.
 */
let measuring = false;
function measureWithFont(vega: typeof import('vega')): void {
  if (measuring) return;
  measuring = true;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const content = text ?? item.text;
    const lines = Array.isArray(content) ? content.map(String) : [String(content ?? '')];
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    return Math.max(0, ...lines.map((line) => textWidth(line.trim(), item.fontSize ?? 11, bold)));
  };
}

const printed = new Set<string>();
const printOnce = (message: string) => {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`@nnkit/viz: Vega-Lite: ${message}\n`);
};

/**
 * Any Vega-Lite specification (https://vega.github.io/vega-lite/) as a figure, with nnkit's theme (DejaVu Sans,
 * readable sizes, white background) under the spec's own `config`. Data must be inline (`data: { values }`).
 * The spec's `title` is required: every figure says what it shows.
 */
export async function vegaLiteFigure(
  spec: TopLevelSpec & { title: string | { text: string | string[] } },
  options: VegaLiteFigureOptions = {},
): Promise<Figure> {
  const warn = options.onWarning ?? printOnce;
  const logger = {
    level: (() => logger) as never,
    info: () => logger,
    debug: () => logger,
    warn: (...messages: unknown[]) => (warn(messages.map(String).join(' ')), logger),
    error: (...messages: unknown[]) => {
      throw new Error(`@nnkit/viz: Vega-Lite: ${messages.map(String).join(' ')}`);
    },
  };
  // Loaded at the first chart, not at import: a program that draws nothing does not pay for Vega.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const themed = { ...spec, config: { ...VEGA_LITE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const { spec: vegaSpec } = compile(themed, { logger: logger as never });
  measureWithFont(vega);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const size = (attribute: string) => Number(new RegExp(`<svg[^>]*\\s${attribute}="([\\d.]+)"`).exec(svg)?.[1] ?? NaN);
    const title = typeof spec.title === 'string' ? spec.title : [spec.title.text].flat().join(' ');
    return { svg, width: size('width'), height: size('height'), title, pixelRatio: PIXEL_RATIO };
  } finally {
    view.finalize();
  }
}
