// Figures: charts from Vega-Lite specs (rendered to SVG by vega, to PNG by resvg in DejaVu Sans), heatmaps with colour
// scales, and pixel-exact image grids with labels.
export { lineFigure, type LineFigureOptions, type LineSeries, type ReferenceLine } from './line-figure.js';
export { heatmapFigure, type HeatmapFigureOptions, type HeatmapPanel, type HeatmapColor } from './heatmap-figure.js';
export { barFigure, type BarFigureOptions, type Bar } from './bar-figure.js';
export { imageGridFigure, type ImageGridFigureOptions, type FigureTile } from './image-grid-figure.js';
export { attentionFigure, gridOverlay, type AttentionFigureOptions, type AttentionGrid } from './attention-figure.js';
export { vegaLiteFigure, type VegaLiteFigureOptions } from './vega-lite.js';
export {
  writeFigure,
  renderPng,
  pngTitle,
  writeAtomic,
  PIXEL_RATIO,
  type Figure,
  type Raster,
  type PlacedRaster,
  type WriteFigureOptions,
} from './figure.js';
export { powerOfTen, type ChartAxis } from './axes.js';
export { PALETTE, type Color, type AxisSpec } from './theme.js';
export { FONT_FAMILY, fontFiles, textWidth as measureText } from './fonts.js';
export { greys, ink, viridis, diverging, clamp01, type ColorMap } from './colormap.js';

// PNG in and out (pngjs).
export { encodePng, writePng, blankImage, type RgbImage } from './png.js';
export { decodePng, readPng, PngError, MAX_PNG_PIXELS, type GreyImage, type DecodePngOptions } from './decode-png.js';

// The hand-drawn raster API that came before the figures above: kept so that code written against it still works.
// New code should use imageGridFigure (labels in a real font, a colour bar), heatmapFigure (counts, a colour scale)
// and lineFigure (axis titles, a legend).
export { imageGrid, heatmap, labelledHeatmap, fillRect, type Tile, type GridOptions } from './grid.js';
export { drawDigits, textWidth } from './digits-font.js';
export { lineChart, type Series, type LineChartOptions } from './line-chart.js';
