import { inflateSync } from 'node:zlib';

/** A decoded picture as grey levels in [0, 1], row-major. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: Float32Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 }; // grey, RGB, grey+alpha, RGBA

/** The PNG predictor of filter type 4 (Paeth 1991). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA: what drawing programs and phones save)
 * into grey levels. Transparent pixels count as white paper. Anything else is refused with a message saying why.
 */
export function decodePng(bytes: Uint8Array, source = 'PNG'): GreyImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 33 || buffer.readUInt32BE(0) !== 0x89504e47) throw new Error(`${source} expects a PNG file, got other bytes.`);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8]!, body[9]!, body[10], body[11], body[12]!];
      channels = CHANNELS[colour] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) {
        throw new Error(`${source} expects an 8-bit, non-interlaced grey or RGB(A) PNG, got bit depth ${depth}, colour type ${colour}, interlace ${interlace}. Re-save it as an 8-bit PNG.`);
      }
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new Error(`${source} expects ${(stride + 1) * height} bytes of pixels, got ${raw.length} (truncated).`);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predicted === undefined) throw new Error(`${source} has an unknown row filter ${filter} (corrupt file).`);
      pixels[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    const level = channels >= 3 ? (0.299 * p[0]! + 0.587 * p[1]! + 0.114 * p[2]!) / 255 : p[0]! / 255;
    const alpha = channels === 2 ? p[1]! / 255 : channels === 4 ? p[3]! / 255 : 1;
    grey[i] = alpha * level + (1 - alpha); // over white paper
  }
  return { width, height, grey };
}
