import { resolve } from 'node:path';
import { ConfigError } from '@nnkit/core';
import { loadModel } from '@nnkit/train';
import { beamOption } from '../beam-option.js';
import type { Command } from '../command.js';
import { detokenize, isTranslator, tokenize, type SequenceTranslator } from '../sequence-pairs.js';

/** Attention as text: one row per output token, one column per source token, darker where it looked more. */
export function attentionGrid(weights: readonly (readonly number[])[], sources: readonly string[], targets: readonly string[]): string {
  const shades = [' ', '░', '▒', '▓', '█'];
  const width = Math.max(...targets.map((t) => t.length), 1);
  const header = `${' '.repeat(width)} ${sources.map((s) => (s.length === 1 ? s : s[0])).join('')}`;
  const rows = weights.map((row, i) => `${targets[i]!.padStart(width)} ${row.map((w) => shades[Math.min(4, Math.round(w * 4))]).join('')}`);
  return [header, ...rows].join('\n');
}

export const translateCommand: Command = {
  name: 'translate',
  usage: 'translate <model-dir> <text>',
  summary: 'run a saved sequence-to-sequence model (seq2seq/translator) on a text: a spelling, a date, a name',
  positionals: { min: 2, max: 2 },
  options: {
    beam: { type: 'string', description: 'beam width (default 1: greedy decoding)' },
    attention: { type: 'boolean', description: 'also print where each output token looked in the source, as a text grid' },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const beam = beamOption(values.beam);
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<SequenceTranslator>(kit, dir);
    try {
      const vocabularies = metadata.vocabularies;
      if (!vocabularies || !isTranslator(instance.model)) {
        throw new ConfigError(`translate expects a saved sequence-to-sequence model with its vocabularies, got ${metadata.model} in ${dir}. Train one with: nnkit train seq2seq/translator`);
      }
      const source = tokenize(positionals[1]!, vocabularies.source, vocabularies.sourceSeparator);
      const { tokens, attention } = await instance.model.translate([source], { beam, maxLength: 4 * source.length + 20 });
      const output = detokenize(tokens[0]!, vocabularies.target, vocabularies.targetSeparator);
      const sourceTokens = source.map((id) => vocabularies.source[id]!);
      const targetTokens = tokens[0]!.map((id) => vocabularies.target[id]!);
      print({ model: metadata.model, dir, input: positionals[1], output, beam, tokens: targetTokens, ...(values.attention && attention && { attention: attention[0] }) }, () =>
        values.attention && attention ? `${output}\n\n${attentionGrid(attention[0]!, sourceTokens, targetTokens)}` : output,
      );
    } finally {
      instance.model.dispose?.();
    }
  },
};
