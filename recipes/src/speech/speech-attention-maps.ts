import { heatmapFigure, writeFigure } from '@nnkit/viz';

/** One transcribed utterance to draw: what was said, what came out, and each output character's attention. */
export interface ShownTranscript {
  readonly said: string;
  readonly heard: string;
  readonly voice: string;
  readonly characters: readonly string[];
  /** One row per output character, one weight per encoder step (each `reduction` frames). */
  readonly attention: readonly (readonly number[])[];
}

/**
 * attention.png: per utterance a heat map of time (across, in encoder steps of `reduction` 10 ms frames, labelled by
 * the second they start at) × output characters (down, in the order they were spelled). A speller that listens
 * draws a diagonal from the top left: each digit attends to where it was said, later digits later.
 */
export function writeSpeechAttentionMaps(
  path: string,
  shown: readonly ShownTranscript[],
  reduction: number,
  frameSeconds: number,
): Promise<string> {
  return writeFigure(
    path,
    heatmapFigure({
      title: 'Where each spelled digit listened, in voices never heard in training',
      subtitle: `each row: one output character's attention over time (the row sums to 1); one column per encoder step of ${reduction} frames (${Math.round(1000 * reduction * frameSeconds)} ms)`,
      panels: shown.map(({ said, heard, voice, characters, attention }) => ({
        title: `“${said}” (${voice}) → ${heard}`,
        rows: characters.map((c, i) => `${i + 1}: ${c}`),
        columns: attention[0]!.map((_, step) => `${(step * reduction * frameSeconds).toFixed(2)} s`),
        values: attention.flat(),
      })),
      x: { title: 'time (start of each encoder step)' },
      y: { title: 'output character' },
      color: { title: 'attention weight', domain: [0, 1] },
      text: false,
    }),
  );
}
