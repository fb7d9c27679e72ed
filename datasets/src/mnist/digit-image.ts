import { ShapeError } from '@nnkit/core';

/**
 * Turns a picture of one handwritten digit (grey levels in [0, 1], any size, dark ink on light paper or the
 * reverse) into an MNIST-style 28×28 image, as LeCun et al. prepared theirs: light ink on black, the digit
 * scaled to fit a 20×20 box keeping its aspect ratio, and centred by its centre of mass.
 */
export function toMnistDigit(grey: ArrayLike<number>, width: number, height: number): Float32Array {
  if (grey.length !== width * height || width < 1 || height < 1) {
    throw new ShapeError(`toMnistDigit expects width × height = ${width}×${height} grey levels, got ${grey.length}.`);
  }
  // Paper is whatever the border mostly is; ink is the distance from it.
  let border = 0;
  let borderCount = 0;
  for (let x = 0; x < width; x++) {
    border += grey[x]! + grey[(height - 1) * width + x]!;
    borderCount += 2;
  }
  for (let y = 0; y < height; y++) {
    border += grey[y * width]! + grey[y * width + width - 1]!;
    borderCount += 2;
  }
  const paperIsLight = border / borderCount > 0.5;
  const ink = Float32Array.from(grey, (g) => (paperIsLight ? 1 - g : g));
  let [left, top, right, bottom] = [width, height, -1, -1];
  ink.forEach((v, i) => {
    if (v > 0.25) {
      const [x, y] = [i % width, Math.floor(i / width)];
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  });
  const out = new Float32Array(784);
  if (right < 0) return out; // a blank page
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const [w, h] = [Math.max(1, Math.round(boxWidth * scale)), Math.max(1, Math.round(boxHeight * scale))];
  // Area-average the box into w × h, then place it so that its centre of mass lands at (14, 14).
  const small = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let sy = Math.floor(top + y / scale); sy < Math.min(bottom + 1, Math.ceil(top + (y + 1) / scale)); sy++) {
        for (let sx = Math.floor(left + x / scale); sx < Math.min(right + 1, Math.ceil(left + (x + 1) / scale)); sx++) {
          sum += ink[sy * width + sx]!;
          count++;
        }
      }
      small[y * w + x] = count ? sum / count : 0;
    }
  }
  let [mass, cx, cy] = [0, 0, 0];
  small.forEach((v, i) => ((mass += v), (cx += v * (i % w)), (cy += v * Math.floor(i / w))));
  const offsetX = Math.round(14 - (mass ? cx / mass : w / 2));
  const offsetY = Math.round(14 - (mass ? cy / mass : h / 2));
  small.forEach((v, i) => {
    const [x, y] = [(i % w) + offsetX, Math.floor(i / w) + offsetY];
    if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = Math.min(1, v);
  });
  return out;
}
