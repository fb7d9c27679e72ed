import { definePlugin, mulberry32, type NnkitPlugin } from '@nnkit/core';
import { writeWav, type SpokenUtterance, type SpokenUtterances, type UtteranceSplit } from '@nnkit/datasets';

/** A digit as a tone: 400 Hz for 0 up to 2,200 Hz for 9, 0.12 s, then 0.04 s of silence, at 16 kHz. */
function digitTones(digits: string): Uint8Array {
  const rate = 16_000;
  const samples: number[] = [];
  for (const d of digits) {
    for (let n = 0; n < 0.12 * rate; n++) samples.push(Math.round(8000 * Math.sin((2 * Math.PI * (400 + 200 * Number(d)) * n) / rate)));
    for (let n = 0; n < 0.04 * rate; n++) samples.push(0);
  }
  return writeWav({ sampleRate: rate, samples: Int16Array.from(samples) });
}

/**
 * A stand-in for @nnkit/spoken-digits (GPL-3.0-or-later, which this MIT package must not load): the dataset
 * `spoken-digits/utterances` as tone strings of 3–4 digits, "voices" per split, so that the speech recipe's tests run
 * the whole recipe in seconds without eSpeak NG.
 */
export function toneUtterancesPlugin(): NnkitPlugin {
  const voices: Record<UtteranceSplit, string[]> = { train: ['tone-a', 'tone-b'], validation: ['tone-c'], test: ['tone-d'] };
  return definePlugin({
    meta: { name: 'tone-utterances', version: '1.0.0', namespace: 'spoken-digits', nnkit: '^2.0.0' },
    datasets: [
      {
        name: 'utterances',
        description: 'digit strings as tones',
        load: async (options) => {
          const random = mulberry32(Number(options['seed'] ?? 1));
          const split = (name: UtteranceSplit): SpokenUtterance[] =>
            Array.from({ length: Number(options[name] ?? 0) }, (_, i) => {
              const digits = Array.from({ length: 3 + (i % 2) }, () => String(Math.floor(random() * 10))).join('');
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
          const utterances: SpokenUtterances = {
            kind: 'spoken-utterances',
            train: split('train'),
            validation: split('validation'),
            test: split('test'),
            voices,
          };
          return utterances;
        },
      },
    ],
  });
}
