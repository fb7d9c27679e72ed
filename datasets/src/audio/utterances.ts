import { DataError } from '@nnkit/core';

/**
 * What `datasets/spoken-digits` asks the registry for: spoken digit strings as a synthesizer wrote them. The
 * dataset `spoken-digits/utterances` of @nnkit/spoken-digits (GPL-3.0-or-later, because eSpeak NG is) gives them;
 * this MIT package never imports it, and reaches it only by that registered name, so the shape is written out
 * here and checked when it arrives.
 */
export interface SpokenUtterance {
  /** The digits spoken, '0'–'9' only ('417' was said "four one seven"). */
  readonly digits: string;
  /** The synthesizer's voice ('en-us+m3'): an accent and a variant. */
  readonly voice: string;
  /** Speaking rate in words per minute. */
  readonly wordsPerMinute: number;
  /** The synthesizer's pitch setting (eSpeak NG's 0–99, 50 its default). */
  readonly pitch: number;
  /** Where the WAV file is kept, named when it cannot be read. */
  readonly file: string;
  /** The WAV file's bytes (read when asked, so that thousands of utterances are not all held at once). */
  wav(): Promise<Uint8Array>;
}

export type UtteranceSplit = 'train' | 'validation' | 'test';
export const UTTERANCE_SPLITS: readonly UtteranceSplit[] = ['train', 'validation', 'test'];

/** Utterances per split, and the voices each split draws from: no voice is in two splits. */
export interface SpokenUtterances {
  readonly kind: 'spoken-utterances';
  readonly train: readonly SpokenUtterance[];
  readonly validation: readonly SpokenUtterance[];
  readonly test: readonly SpokenUtterance[];
  readonly voices: Readonly<Record<UtteranceSplit, readonly string[]>>;
}

function isUtterance(value: unknown): value is SpokenUtterance {
  const u = value as SpokenUtterance | undefined;
  return (
    typeof u?.digits === 'string' &&
    /^[0-9]+$/.test(u.digits) &&
    typeof u.voice === 'string' &&
    typeof u.wordsPerMinute === 'number' &&
    typeof u.pitch === 'number' &&
    typeof u.file === 'string' &&
    typeof u.wav === 'function'
  );
}

/** `data` as SpokenUtterances, or a DataError naming the first thing that is not as this contract says. */
export function checkUtterances(data: unknown, source: string): SpokenUtterances {
  const given = data as Partial<SpokenUtterances> | undefined;
  const shape = "{ kind: 'spoken-utterances', train, validation, test, voices }";
  if (given?.kind !== 'spoken-utterances') {
    throw new DataError(
      `${source} expects ${shape}, got kind ${JSON.stringify(given?.kind)}. Update @nnkit/spoken-digits to a version that gives it.`,
    );
  }
  for (const split of UTTERANCE_SPLITS) {
    const list: unknown = given[split];
    const bad = Array.isArray(list) ? list.findIndex((u) => !isUtterance(u)) : -1;
    if (!Array.isArray(list) || bad >= 0 || !Array.isArray(given.voices?.[split])) {
      throw new DataError(
        `${source} expects utterances { digits, voice, wordsPerMinute, pitch, file, wav() } and a voice list in split '${split}', got ${Array.isArray(list) ? `item ${bad}: ${JSON.stringify(list[bad])}` : typeof list}. Update @nnkit/spoken-digits.`,
      );
    }
  }
  return given as SpokenUtterances;
}
