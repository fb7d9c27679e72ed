/** A rectangle of pixels: columns x … x + width − 1, rows y … y + height − 1. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The smallest box around every non-zero pixel of a `size` × `size` image at `offset` (whole image when blank). */
export function inkBox(pixels: ArrayLike<number>, offset: number, size: number): Box {
  let [left, top, right, bottom] = [size, size, -1, -1];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (pixels[offset + y * size + x]! === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? { x: 0, y: 0, width: size, height: size } : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * For each of `to` output positions along one axis, the first input position it reads and its weights: a triangle
 * (tent) filter, widened by the shrink factor when shrinking so that every input pixel counts (area-like, no
 * aliasing), plain bilinear interpolation when enlarging (as Pillow's BILINEAR resize does).
 */
function axisTaps(from: number, to: number): { first: Int32Array; weights: Float32Array[] } {
  const scale = from / to;
  const support = Math.max(1, scale);
  const first = new Int32Array(to);
  const weights: Float32Array[] = [];
  for (let i = 0; i < to; i++) {
    const centre = (i + 0.5) * scale; // in input coordinates
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(from, Math.ceil(centre + support));
    const w = new Float32Array(hi - lo);
    let sum = 0;
    for (let j = lo; j < hi; j++) sum += w[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
    for (let k = 0; k < w.length; k++) w[k]! /= sum;
    first[i] = lo;
    weights.push(w);
  }
  return { first, weights };
}

/**
 * The `box` of a row-major image (`stride` values a row, starting at `offset`) resampled to `width` × `height`,
 * separably (rows, then columns), with values divided by `peak` (255 for MNIST's grey levels) so they land in [0, 1].
 */
export function resampleBox(
  pixels: ArrayLike<number>,
  offset: number,
  stride: number,
  box: Box,
  width: number,
  height: number,
  peak = 1,
): Float32Array {
  const across = axisTaps(box.width, width);
  const down = axisTaps(box.height, height);
  const rows = new Float32Array(box.height * width); // (box.height, width)
  for (let y = 0; y < box.height; y++) {
    const row = offset + (box.y + y) * stride + box.x;
    for (let x = 0; x < width; x++) {
      const w = across.weights[x]!;
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += w[k]! * pixels[row + across.first[x]! + k]!;
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height); // (height, width)
  for (let y = 0; y < height; y++) {
    const w = down.weights[y]!;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += w[k]! * rows[(down.first[y]! + k) * width + x]!;
      out[y * width + x] = Math.min(1, Math.max(0, sum / peak));
    }
  }
  return out;
}

/** Draws `image` (`width` × `height`) onto `canvas` (`canvasWidth` wide) at (x, y), keeping the brighter value. */
export function pasteMax(
  canvas: Float32Array,
  canvasWidth: number,
  image: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
): void {
  for (let row = 0; row < height; row++) {
    const at = (y + row) * canvasWidth + x;
    for (let col = 0; col < width; col++) {
      const v = image[row * width + col]!;
      if (v > canvas[at + col]!) canvas[at + col] = v;
    }
  }
}
