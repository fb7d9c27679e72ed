import { DataError } from '@nnkit/core';

/** Mono 16-bit PCM audio: what the WAV reader gives and the writer takes. */
export interface PcmAudio {
  /** Samples per second (16,000; eSpeak NG writes 22,050). */
  readonly sampleRate: number;
  /** One sample per tick, −32,768 … 32,767. */
  readonly samples: Int16Array;
}

const PCM = 1;
/** WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID. */
const EXTENSIBLE = 0xfffe;
/**
 * A writer that cannot seek back to fill in the sizes leaves a placeholder: eSpeak NG writes 0x7ffff000 when its
 * output is a pipe, other tools 0xffffffff. A data size at least this large that runs past the end means "to the end".
 */
const STREAMED_SIZE = 0x7fff0000;
const HEADER_BYTES = 44;

/** Where the reader stood: the caller's name for the bytes (a file's path) goes into every refusal. */
function refuse(source: string, expected: string, got: string, fix: string): DataError {
  return new DataError(`WAV reader expects ${expected} in ${source}, got ${got}. ${fix}`);
}

function fourCC(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/**
 * Reads a RIFF WAVE file of 16-bit PCM mono: the canonical 44-byte header, a WAVE_FORMAT_EXTENSIBLE one, extra
 * chunks (LIST, fact) skipped, and the streamed form whose sizes were never filled in (eSpeak NG writing to a pipe).
 * Anything else (stereo, 8- or 24-bit, float, compressed, truncated) is refused with a DataError that says what was
 * expected, what came, and how to convert it. `source` names the bytes in those messages.
 */
export function readWav(bytes: Uint8Array, source = 'the WAV bytes'): PcmAudio {
  const convert = 'Convert it first, e.g. `sox in.wav -b 16 -c 1 out.wav` or `ffmpeg -i in.wav -ac 1 -c:a pcm_s16le out.wav`.';
  if (bytes.length < 12)
    throw refuse(source, 'a RIFF header of 12 bytes', `${bytes.length} bytes`, 'The file is truncated or not a WAV file.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourCC(view, 0) !== 'RIFF' || fourCC(view, 8) !== 'WAVE') {
    throw refuse(
      source,
      "'RIFF' … 'WAVE' at bytes 0 and 8",
      `'${fourCC(view, 0)}' … '${fourCC(view, 8)}'`,
      `It is not a WAV file. ${convert}`,
    );
  }
  let format: { sampleRate: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCC(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = readFormat(view, body, size, source, convert);
    } else if (id === 'data') {
      if (format === undefined) throw refuse(source, "a 'fmt ' chunk before the 'data' chunk", "'data' first", convert);
      const available = bytes.length - body;
      if (size > available && size < STREAMED_SIZE) {
        throw refuse(source, `${size} bytes of samples (the data chunk's size)`, `${available}`, 'The file is truncated: write it again.');
      }
      const length = Math.floor(Math.min(size, available) / 2);
      const samples = new Int16Array(length);
      for (let i = 0; i < length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { sampleRate: format.sampleRate, samples };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw refuse(
    source,
    "a 'data' chunk",
    format === undefined ? "neither 'fmt ' nor 'data'" : "no 'data' chunk",
    'The file is truncated: write it again.',
  );
}

function readFormat(view: DataView, body: number, size: number, source: string, convert: string): { sampleRate: number } {
  if (size < 16 || body + 16 > view.byteLength)
    throw refuse(source, "a 'fmt ' chunk of at least 16 bytes", `${size}`, 'The file is corrupt.');
  let tag = view.getUint16(body, true);
  if (tag === EXTENSIBLE) {
    // The real format sits in the extension's sub-format GUID, 24 bytes into a 40-byte chunk.
    if (size < 40 || body + 26 > view.byteLength)
      throw refuse(source, "an extensible 'fmt ' chunk of 40 bytes", `${Math.min(size, view.byteLength - body)}`, 'The file is corrupt.');
    tag = view.getUint16(body + 24, true);
  }
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const bits = view.getUint16(body + 14, true);
  if (tag !== PCM) throw refuse(source, 'PCM (format 1)', `format ${tag}${tag === 3 ? ' (float)' : ''}`, convert);
  if (channels !== 1) throw refuse(source, 'mono (1 channel)', `${channels} channels`, convert);
  if (bits !== 16) throw refuse(source, '16-bit samples', `${bits}-bit`, convert);
  if (sampleRate === 0) throw refuse(source, 'a sample rate above 0', '0', 'The file is corrupt.');
  return { sampleRate };
}

/**
 * Writes 16-bit PCM mono as the canonical 44-byte-header WAV that every tool reads. For such a file (eSpeak NG's,
 * when it could seek back) `writeWav(readWav(bytes))` gives back the same bytes.
 */
export function writeWav(audio: PcmAudio): Uint8Array {
  const dataBytes = audio.samples.length * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM, true);
  view.setUint16(22, 1, true); // channels
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per sample frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < audio.samples.length; i++) view.setInt16(HEADER_BYTES + 2 * i, audio.samples[i]!, true);
  return bytes;
}

/** Samples as floats in [−1, 1): what the signal processing works on. */
export function pcmToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Floats back to 16-bit samples, rounded and clipped at full scale (noise can push a loud peak over). */
export function floatToPcm(signal: Float32Array): Int16Array {
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(signal[i]! * 32768)));
  return out;
}
