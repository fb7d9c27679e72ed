// Helpers shared by the probe's runner and its cases: PNG files, hashes, folder walks, model surgery.
// Plain Node (no dependencies, no build step) so the probe runs against any built tree.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A PNG of `width`×`height`: grey (colorType 0) or RGB (2), 8 or 16 bits. `pixel(x, y)` gives 0…255.
 * `claim` writes other dimensions into the header than the pixels have (a lying header).
 */
export function png(width, height, { pixel = () => 0, colorType = 0, bitDepth = 8, claim } = {}) {
  const channels = colorType === 2 ? 3 : 1;
  const bytesPerSample = bitDepth / 8;
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * channels * bytesPerSample);
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < channels; ch++) {
        const offset = 1 + (x * channels + ch) * bytesPerSample;
        row[offset] = pixel(x, y);
      }
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim?.width ?? width, 0);
  ihdr.writeUInt32BE(claim?.height ?? height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A bright vertical stroke on black: something digit-like ("1") for a 28×28 model. */
export const stroke = (x, y, w, h) => (Math.abs(x - w / 2) < w / 10 && y > h / 6 && y < (5 * h) / 6 ? 255 : 0);

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir` (relative paths), links and special files included by name, not followed. */
export function walk(dir, base = dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    out.push(relative(base, path));
    if (entry.isDirectory()) walk(path, base, out);
  }
  return out;
}

/** sha256 of every regular file at `path` (a file, or a folder's files), keyed by path; missing: undefined. */
export function fingerprint(path) {
  if (!existsSync(path)) return { [path]: undefined };
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return { [path]: sha256(readFileSync(path)) };
  const result = {};
  for (const rel of walk(path)) {
    const full = join(path, rel);
    if (lstatSync(full).isFile()) result[full] = sha256(readFileSync(full));
  }
  return result;
}

export function copyDir(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  return to;
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
export const writeJson = (path, value) => writeFileSync(path, JSON.stringify(value, null, 2));

/** The single weights file a saved model's manifest names. */
export function weightsFile(modelDir) {
  return join(modelDir, readJson(join(modelDir, 'model.json')).weightsManifest[0].paths[0]);
}

/**
 * Rewrites a saved model's weight bytes with `edit(Float32Array)` and renames the file by its new hash, as
 * saveModel names it, so the only fault left is what `edit` put in (NaN weights that a hash check can't catch).
 */
export function rewriteWeights(modelDir, edit) {
  const file = weightsFile(modelDir);
  const bytes = readFileSync(file);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  edit(floats);
  const data = Buffer.from(floats.buffer);
  const name = `weights-${sha256(data).slice(0, 16)}.bin`;
  writeFileSync(file, data);
  renameSync(file, join(modelDir, name));
  const modelJson = readJson(join(modelDir, 'model.json'));
  modelJson.weightsManifest[0].paths[0] = name;
  writeJson(join(modelDir, 'model.json'), modelJson);
}
