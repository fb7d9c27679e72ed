import { definePlugin, mulberry32, type NnkitPlugin } from '@nnkit/core';
import type { SpokenUtterance, SpokenUtterances, UtteranceSplit } from './utterances.js';
import { writeWav } from './wav.js';

/** A digit as a tone: 400 Hz for 0 up to 2,200 Hz for 9, for 0.15 s at 22,050 Hz, then 0.05 s of silence. */
function digitTones(digits: string): Uint8Array {
  const rate = 22_050;
  const samples: number[] = [];
  for (const d of digits) {
    const hz = 400 + 200 * Number(d);
    for (let n = 0; n < 0.15 * rate; n++) samples.push(Math.round(8000 * Math.sin((2 * Math.PI * hz * n) / rate)));
    for (let n = 0; n < 0.05 * rate; n++) samples.push(0);
  }
  return writeWav({ sampleRate: rate, samples: Int16Array.from(samples) });
}

/**
 * A stand-in for @nnkit/spoken-digits (which needs eSpeak NG): `spoken-digits/utterances` as tones, so that this MIT
 * package's tests exercise datasets/spoken-digits without the GPL plugin. `calls` records the options it was given.
 */
export function fakeUtterancesPlugin(calls: Record<string, unknown>[] = [], kind = 'spoken-utterances'): NnkitPlugin {
  const voices: Record<UtteranceSplit, string[]> = { train: ['tone-a', 'tone-b'], validation: ['tone-c'], test: ['tone-d'] };
  return definePlugin({
    meta: { name: 'fake-spoken-digits', version: '1.0.0', namespace: 'spoken-digits', nnkit: '^2.0.0' },
    datasets: [
      {
        name: 'utterances',
        description: 'digit strings as tones',
        load: async (options) => {
          calls.push({ ...options });
          const random = mulberry32(Number(options['seed'] ?? 1));
          const split = (name: UtteranceSplit): SpokenUtterance[] =>
            Array.from({ length: Number(options[name] ?? 0) }, (_, i) => {
              const digits = Array.from({ length: 3 }, () => String(Math.floor(random() * 10))).join('');
              const bytes = digitTones(digits);
              return {
                digits,
                voice: voices[name][i % voices[name].length]!,
                wordsPerMinute: 150,
                pitch: 50,
                file: `${name}-${i}.wav`,
                wav: async () => bytes,
              };
            });
          return {
            kind,
            train: split('train'),
            validation: split('validation'),
            test: split('test'),
            voices,
          } as unknown as SpokenUtterances;
        },
      },
    ],
  });
}
