import { resolve } from 'node:path';
import { ConfigError, continuePrompt, type IncrementalDecoder, type TrainableModel } from '@nnkit/core';
import { characterTokens, joinTokens, wordTokens } from '@nnkit/datasets';
import { loadModel } from '@nnkit/train';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

/** The most tokens one `nnkit sample` generates: the text is held and printed whole, and each token is a step of the model. */
const MAX_LENGTH = 100_000;

export const sampleCommand: Command = {
  name: 'sample',
  usage: 'sample <model-dir>',
  summary: 'generate text with a saved language model (rnn-lm/lm, lstm/lm), token by token',
  positionals: { min: 1, max: 1 },
  options: {
    prompt: { type: 'string', description: 'the text it continues (default: a new line or <eos>)' },
    length: { type: 'string', description: `tokens to generate, at most ${MAX_LENGTH} (default 200 characters or 50 words)` },
    temperature: { type: 'string', description: 'below 1 safer, above 1 wilder, 0 always the likeliest token (default 0.8)' },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const temperature = values.temperature === undefined ? 0.8 : Number(values.temperature);
    if (!(temperature >= 0)) throw new UsageError(`--temperature expects a number ≥ 0, got '${String(values.temperature)}'.`);
    const lengthFlag = values.length === undefined ? undefined : Number(values.length);
    if (lengthFlag !== undefined && !(Number.isInteger(lengthFlag) && lengthFlag >= 1 && lengthFlag <= MAX_LENGTH)) {
      throw new UsageError(`--length expects an integer from 1 to ${MAX_LENGTH}, got '${String(values.length)}'. For longer text, sample again with --prompt set to the end of what came out.`);
    }
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel & Partial<IncrementalDecoder<number>>>(kit, dir);
    try {
      const tokens = metadata.vocabulary;
      if (!tokens || !isLanguageModel(instance.model)) throw new ConfigError(`sample expects a saved language model with its vocabulary, got ${metadata.model} in ${dir}. Train one with: nnkit train lstm/lm`);
      const level = metadata.dataset?.options?.level ?? (tokens.every((t) => t.length === 1 || t === '<unk>') ? 'char' : 'word');
      const length = lengthFlag ?? (level === 'char' ? 200 : 50);
      const prompt = values.prompt === undefined ? [level === 'char' ? '\n' : '<eos>'] : level === 'char' ? characterTokens(String(values.prompt)) : wordTokens(String(values.prompt));
      const index = new Map(tokens.map((token, id) => [token, id]));
      const unknown = index.get('<unk>') ?? 0;
      const ids = await continuePrompt(instance.model, { prompt: prompt.map((t) => index.get(t) ?? unknown), length, temperature, seed: kit.random.derive('sample'), exclude: [unknown] });
      const generated = ids.map((id) => tokens[id]!);
      const text = joinTokens([...prompt, ...generated], level === 'char' ? 'char' : 'word');
      print({ model: metadata.model, dir, temperature, prompt: prompt.join(level === 'char' ? '' : ' '), text }, () => text.trim());
    } finally {
      instance.model.dispose?.();
    }
  },
};

/** A model that decodes token by token from a batch size: what every nnkit language model is. */
function isLanguageModel(model: Partial<IncrementalDecoder<number>>): model is IncrementalDecoder<number> {
  return typeof model.step === 'function' && typeof model.initialState === 'function' && typeof model.vocabularySize === 'number';
}
