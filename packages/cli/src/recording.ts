import { readFileSync, statSync } from 'node:fs';
import { DataError } from '@nnkit/core';
import { logMelSettings, readWav, speechFrontEnd, type LogMelSettings } from '@nnkit/datasets';

/**
 * The bytes of a WAV file, checked to be one nnkit reads (16-bit PCM mono; readWav says how to convert anything
 * else): read before any model loads, so that a wrong path or a wrong file costs nothing.
 */
export function readRecording(file: string): Uint8Array {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new DataError(`transcribe expects a WAV file at ${file}, got no such file. Check the path.`);
  if (!stat.isFile()) throw new DataError(`transcribe expects a WAV file at ${file}, got a folder. Give the path of a .wav file in it.`);
  const bytes = new Uint8Array(readFileSync(file));
  readWav(bytes, file); // throws a DataError that says what came and how to convert it
  return bytes;
}

const SETTING_KEYS = [
  'sampleRate',
  'windowLength',
  'hopLength',
  'fftSize',
  'bands',
  'lowHz',
  'highHz',
  'preEmphasis',
  'floor',
  'rangeDb',
] as const;

/**
 * The speech front end a model was trained with, from the feature settings saved with it (the corpus's
 * `features`: sample rate, window and hop in samples, mel bands, …), made again and checked to give the same
 * settings: the frames of a new recording are then computed exactly as the training frames were.
 */
export function savedFrontEnd(features: Readonly<Record<string, unknown>>, where: string): ReturnType<typeof speechFrontEnd> {
  const missing = SETTING_KEYS.filter((key) => typeof features[key] !== 'number');
  if (missing.length > 0) {
    throw new DataError(
      `transcribe expects the log-mel settings saved with the model in ${where} (${SETTING_KEYS.join(', ')}), got none for ${missing.join(', ')}. ` +
        'Save the model with its task’s saveExtras (nnkit train and the speech recipe do).',
    );
  }
  const saved = features as unknown as LogMelSettings;
  const options = {
    sampleRate: saved.sampleRate,
    windowSeconds: saved.windowLength / saved.sampleRate,
    hopSeconds: saved.hopLength / saved.sampleRate,
    bands: saved.bands,
    lowHz: saved.lowHz,
    highHz: saved.highHz,
    preEmphasis: saved.preEmphasis,
    floor: saved.floor,
    rangeDb: saved.rangeDb,
  };
  const again = logMelSettings(options);
  const differ = SETTING_KEYS.filter((key) => again[key] !== saved[key]);
  if (differ.length > 0) {
    throw new DataError(
      `transcribe expects log-mel settings this nnkit can make again, got ${differ.map((key) => `${key} ${saved[key]} (made: ${again[key]})`).join(', ')} in ${where}. ` +
        'Transcribe with the nnkit version that trained the model.',
    );
  }
  return speechFrontEnd(options);
}
