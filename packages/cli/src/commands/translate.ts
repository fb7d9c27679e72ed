import { resolve } from 'node:path';
import { ConfigError } from '@nnkit/core';
import type { SequenceVocabularies } from '@nnkit/train';
import { BEAM_RANGE } from '../beam-option.js';
import { defineCommand, option } from '../define-command.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';
import { detokenize, isTranslator, tokenize, type SequenceTranslator } from '../sequence-pairs.js';
import { UsageError } from '../usage-error.js';

/** Attention as text: one row per output token, one column per source token, darker where it looked more. */
export function attentionGrid(weights: readonly (readonly number[])[], sources: readonly string[], targets: readonly string[]): string {
  const shades = [' ', '░', '▒', '▓', '█'];
  const width = Math.max(...targets.map((t) => t.length), 1);
  const header = `${' '.repeat(width)} ${sources.map((s) => (s.length === 1 ? s : s[0])).join('')}`;
  const rows = weights.map((row, i) => `${targets[i]!.padStart(width)} ${row.map((w) => shades[Math.min(4, Math.round(w * 4))]).join('')}`);
  // Each shade stands for a quarter of the weight, as Math.round(w * 4) picks it.
  const legend = `shades: attention weight, each row sums to 1: ' ' < 0.125 ≤ ${shades[1]} < 0.375 ≤ ${shades[2]} < 0.625 ≤ ${shades[3]} < 0.875 ≤ ${shades[4]}`;
  return [header, ...rows, '', legend].join('\n');
}

/**
 * The longest text `translate` takes, in characters. The encoder reads every symbol and each output token attends
 * to all of them, so time and memory grow with source × output length: 10,000 characters once ran out of heap after
 * six minutes. The models are trained on words, names and dates of tens of symbols; 500 is far past what they
 * translate well, and costs a few seconds.
 */
const MAX_TEXT = 500;
/** The most tokens one output may have, whatever the source: decoding stops there (with a note). */
const MAX_OUTPUT = 1_000;

/** Most output tokens for a source of `symbols` symbols: room for targets much longer than the source, capped. */
export function outputLimit(symbols: number): number {
  return Math.min(4 * symbols + 20, MAX_OUTPUT);
}

export const translateCommand = defineCommand({
  usage: 'translate <model-dir> <text>',
  summary: `run a saved sequence-to-sequence model (seq2seq/translator) on a text of at most ${MAX_TEXT} characters: a spelling, a date, a name (output: at most 4 × its symbols + 20 tokens, ${MAX_OUTPUT} in all)`,
  options: {
    beam: option.integer('beam width (default 1: greedy decoding)', BEAM_RANGE),
    attention: option.flag('also print where each output token looked in the source, as a text grid'),
  },
  async run({ positionals, options, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const text = positionals[1]!;
    const characters = [...text].length;
    if (text.trim() === '')
      throw new UsageError(
        `translate expects a text of 1 to ${MAX_TEXT} characters, got an empty one. Pass the word, name or date to translate.`,
      );
    if (characters > MAX_TEXT) {
      throw new UsageError(
        `translate expects a text of at most ${MAX_TEXT} characters, got ${characters}. Translate it a piece at a time: a word, a name, a date.`,
      );
    }
    const beam = options.beam ?? 1;
    const kit = await makeKit();
    await withSavedModel(kit, dir, asTranslator, async ({ translator, vocabularies }, { metadata }) => {
      const source = tokenize(text, vocabularies.source, vocabularies.sourceSeparator);
      const maxLength = outputLimit(source.length);
      const { tokens, attention } = await translator.translate([source], { beam, maxLength });
      // The end token is not among the tokens: maxLength of them means the model never ended the output.
      const cut = tokens[0]!.length >= maxLength;
      if (cut)
        kit.progress.log(
          `output cut at ${maxLength} tokens (the most for a source of ${source.length} symbols): the model had not ended it.`,
        );
      const output = detokenize(tokens[0]!, vocabularies.target, vocabularies.targetSeparator);
      const sourceTokens = source.map((id) => vocabularies.source[id]!);
      const targetTokens = tokens[0]!.map((id) => vocabularies.target[id]!);
      print(
        {
          model: metadata.model,
          dir,
          input: text,
          output,
          beam,
          tokens: targetTokens,
          cut,
          maxLength,
          ...(options.attention && attention && { attention: attention[0] }),
        },
        () => (options.attention && attention ? `${output}\n\n${attentionGrid(attention[0]!, sourceTokens, targetTokens)}` : output),
      );
    });
  },
});

/** The saved model as a translator with its vocabularies, or a refusal that says how to get one. */
function asTranslator({ instance, metadata, dir }: SavedModel): {
  translator: SequenceTranslator;
  vocabularies: SequenceVocabularies;
} {
  const vocabularies = metadata.vocabularies;
  if (!vocabularies || !isTranslator(instance.model)) {
    throw new ConfigError(
      `translate expects a saved sequence-to-sequence model with its vocabularies, got ${metadata.model} in ${dir}. Train one with: nnkit train seq2seq/translator`,
    );
  }
  return { translator: instance.model, vocabularies };
}
