import { describe, expect, it } from 'vitest';
import { DataError, mulberry32 } from '@nnkit/core';
import { floatToPcm, pcmToFloat, readWav, writeWav } from './wav.js';

function noise(length: number): Int16Array {
  const random = mulberry32(3);
  return Int16Array.from({ length }, () => Math.floor(random() * 65536) - 32768);
}

/** A WAV header with the given format fields, as another tool would write it. */
function header(fields: { format?: number; channels?: number; bits?: number; dataBytes?: number; riff?: string }): Uint8Array {
  const bytes = writeWav({ sampleRate: 8000, samples: new Int16Array(4) });
  const view = new DataView(bytes.buffer);
  if (fields.riff) [...fields.riff].forEach((c, i) => view.setUint8(i, c.charCodeAt(0)));
  if (fields.format !== undefined) view.setUint16(20, fields.format, true);
  if (fields.channels !== undefined) view.setUint16(22, fields.channels, true);
  if (fields.bits !== undefined) view.setUint16(34, fields.bits, true);
  if (fields.dataBytes !== undefined) view.setUint32(40, fields.dataBytes, true);
  return bytes;
}

describe('WAV files', () => {
  it('round-trip byte for byte: write, read, write gives the same file, and the samples come back', () => {
    const samples = noise(1001);
    const bytes = writeWav({ sampleRate: 22_050, samples });
    expect(bytes.length).toBe(44 + 2 * 1001);
    const audio = readWav(bytes);
    expect(audio.sampleRate).toBe(22_050);
    expect(audio.samples).toEqual(samples);
    expect(writeWav(audio)).toEqual(bytes);
  });

  it('reads a file with extra chunks, an extensible format header and a streamed (unknown) data size', () => {
    const samples = noise(7);
    const plain = writeWav({ sampleRate: 16_000, samples });
    // RIFF, WAVE, a LIST chunk of odd length (padded), a 40-byte extensible fmt chunk, then data of size 0x7ffff000.
    const list = [...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]);
    const fmt = new Uint8Array(48);
    const view = new DataView(fmt.buffer);
    [...'fmt '].forEach((c, i) => view.setUint8(i, c.charCodeAt(0)));
    view.setUint32(4, 40, true);
    fmt.set(plain.subarray(20, 36), 8);
    view.setUint16(8, 0xfffe, true);
    view.setUint16(8 + 24, 1, true); // sub-format: PCM
    const data = plain.slice(36);
    new DataView(data.buffer).setUint32(4, 0x7ffff000, true);
    const file = new Uint8Array([...plain.subarray(0, 12), ...list, ...fmt, ...data]);
    expect(readWav(file)).toEqual({ sampleRate: 16_000, samples });
    // Cut inside the extension: a DataError, not a RangeError from reading past the end.
    const cut = new Uint8Array([...plain.subarray(0, 12), ...fmt.subarray(0, 8 + 20)]);
    expect(() => readWav(cut)).toThrow(DataError);
    expect(() => readWav(cut)).toThrow(/expects an extensible 'fmt ' chunk of 40 bytes in the WAV bytes, got 20\. The file is corrupt/);
  });

  it('refuses what it cannot read with a DataError that says what it expected, what came and how to fix it', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(5), /expects a RIFF header of 12 bytes in the WAV bytes, got 5 bytes\. The file is truncated/],
      [
        header({ riff: 'RIFX' }),
        /expects 'RIFF' … 'WAVE' at bytes 0 and 8 in the WAV bytes, got 'RIFX' … 'WAVE'\. It is not a WAV file\. Convert it first/,
      ],
      [header({ channels: 2 }), /expects mono \(1 channel\) in the WAV bytes, got 2 channels\. Convert it first, e\.g\. `sox/],
      [header({ bits: 24 }), /expects 16-bit samples in the WAV bytes, got 24-bit\. Convert/],
      [header({ format: 3 }), /expects PCM \(format 1\) in the WAV bytes, got format 3 \(float\)\. Convert/],
      [
        header({ dataBytes: 400 }),
        /expects 400 bytes of samples \(the data chunk's size\) in the WAV bytes, got 8\. The file is truncated/,
      ],
      [
        writeWav({ sampleRate: 8000, samples: new Int16Array(4) }).subarray(0, 36),
        /expects a 'data' chunk in the WAV bytes, got no 'data' chunk/,
      ],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readWav(bytes)).toThrow(DataError);
      expect(() => readWav(bytes)).toThrow(message);
    }
    expect(() => readWav(new Uint8Array(5), '/tmp/x.wav')).toThrow(/in \/tmp\/x\.wav, got 5 bytes/);
  });

  it('converts samples to floats in [−1, 1) and back, clipping at full scale', () => {
    const samples = Int16Array.from([-32768, -1, 0, 1, 32767]);
    expect(floatToPcm(pcmToFloat(samples))).toEqual(samples);
    expect(floatToPcm(Float32Array.from([1.5, -1.5]))).toEqual(Int16Array.from([32767, -32768]));
  });
});
