export { encodePng, writePng, blankImage, type RgbImage } from './png.js';
export { imageGrid, heatmap, labelledHeatmap, fillRect, type Tile, type GridOptions } from './grid.js';
export { drawDigits, textWidth } from './digits-font.js';
export { greys, ink, viridis, diverging, clamp01, type ColorMap } from './colormap.js';
export { decodePng, type GreyImage } from './decode-png.js';
export { lineChart, type Series, type LineChartOptions } from './line-chart.js';
