import { resolve } from 'node:path';
import { closestNames, ConfigError, type TrainableModel } from '@nnkit/core';
import { continuePrompt, type IncrementalDecoder } from '@nnkit/decoding';
import { characterTokens, joinTokens, wordTokens } from '@nnkit/datasets';
import { isSpeechRecognizer } from '@nnkit/plugin-tasks';
import { isCaptioner } from '../captions.js';
import { defineCommand, option } from '../define-command.js';
import type { IntegerRange } from '../options.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';
import { isTranslator } from '../sequence-pairs.js';
import { UsageError } from '../usage-error.js';

/** Tokens one `nnkit sample` generates, 100,000 at most: the text is held and printed whole, and each token is a step of the model. */
const LENGTH: IntegerRange = { min: 1, max: 100_000 };
/**
 * The longest prompt, in characters: the model reads it one token at a time before generating (about 2 ms a token
 * for a small LSTM on two CPU cores, so 4 s at most), and a recurrent model carries no more of it than its state.
 */
const MAX_PROMPT = 2_000;

export const sampleCommand = defineCommand({
  usage: 'sample <model-dir>',
  summary: 'generate text with a saved language model (rnn-lm/lm, lstm/lm), token by token',
  options: {
    prompt: option.text('the text it continues, in the symbols the model was trained on (default: a new line or <eos>)', {
      allowEmpty: true,
      limit: `at most ${MAX_PROMPT} characters`,
    }),
    length: option.integer('tokens to generate (default 200 characters or 50 words)', LENGTH, {
      hint: 'For longer text, sample again with --prompt set to the end of what came out.',
    }),
    temperature: option.number(
      'below 1 safer, above 1 wilder, 0 always the likeliest token (default 0.8)',
      { atLeast: 0 },
      { limit: 'a finite number ≥ 0' },
    ),
  },
  async run({ positionals, options, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const temperature = options.temperature ?? 0.8;
    const promptText = options.prompt;
    if (promptText !== undefined && [...promptText].length > MAX_PROMPT) {
      throw new UsageError(
        `--prompt expects at most ${MAX_PROMPT} characters, got ${[...promptText].length}. Keep the end of the text: the model carries little more than its last sentences.`,
      );
    }
    const kit = await makeKit();
    await withSavedModel(kit, dir, asLanguageModel, async ({ model, tokens }, { metadata }) => {
      const level = metadata.dataset?.options?.level ?? (tokens.every((t) => t.length === 1 || t === '<unk>') ? 'char' : 'word');
      const length = options.length ?? (level === 'char' ? 200 : 50);
      const prompt =
        promptText === undefined
          ? [level === 'char' ? '\n' : '<eos>']
          : level === 'char'
            ? characterTokens(promptText)
            : wordTokens(promptText);
      if (prompt.length === 0)
        throw new UsageError(
          `--prompt expects at least one ${level === 'char' ? 'character' : 'word'}, got '${promptText}'. Leave --prompt out to start from ${level === 'char' ? 'a new line' : '<eos>'}.`,
        );
      const index = new Map(tokens.map((token, id) => [token, id]));
      if (promptText !== undefined) checkPromptTokens(prompt, tokens, index, level === 'char' ? 'char' : 'word');
      const unknown = index.get('<unk>') ?? 0;
      const ids = await continuePrompt(model, {
        prompt: prompt.map((t) => index.get(t) ?? unknown),
        length,
        temperature,
        seed: kit.random.derive('sample'),
        exclude: [unknown],
      });
      const generated = ids.map((id) => tokens[id]!);
      const text = joinTokens([...prompt, ...generated], level === 'char' ? 'char' : 'word');
      print({ model: metadata.model, dir, temperature, prompt: prompt.join(level === 'char' ? '' : ' '), text }, () => text.trim());
    });
  },
});

/**
 * The saved model as a language model with its vocabulary, or a refusal: a captioner, a translator or a speech
 * recognizer decodes token by token too, but from an image, a source text or a recording sample has not got.
 */
function asLanguageModel({ instance, metadata, dir }: SavedModel): {
  model: IncrementalDecoder<number>;
  tokens: readonly string[];
} {
  const model = instance.model as TrainableModel & Partial<IncrementalDecoder<number>>;
  const other = isCaptioner(model)
    ? ['a captioner', 'caption']
    : isTranslator(model)
      ? ['a translator', 'translate']
      : isSpeechRecognizer(model)
        ? ['a speech recognizer', 'transcribe']
        : undefined;
  if (other) throw new UsageError(`sample expects a language model, got ${metadata.model}, ${other[0]}: use nnkit ${other[1]}.`);
  const tokens = metadata.vocabulary;
  if (!tokens || !isLanguageModel(model))
    throw new ConfigError(
      `sample expects a saved language model with its vocabulary, got ${metadata.model} in ${dir}. Train one with: nnkit train lstm/lm`,
    );
  return { model, tokens };
}

/**
 * Refuses a prompt with tokens the model never saw, naming them, as `translate` does: read as `<unk>` they would
 * give a continuation of something other than what was typed, without a word. Characters are listed with the ones
 * the model knows; words with the closest known word, the vocabulary being too long to list.
 */
function checkPromptTokens(
  prompt: readonly string[],
  vocabulary: readonly string[],
  index: ReadonlyMap<string, number>,
  level: 'char' | 'word',
): void {
  const unknown = [...new Set(prompt.filter((token) => !index.has(token)))];
  if (unknown.length === 0) return;
  const known = vocabulary.filter((token) => token !== '<unk>' && token !== '<eos>');
  const shown =
    unknown
      .slice(0, 10)
      .map((token) => JSON.stringify(token))
      .join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '');
  if (level === 'char') {
    throw new ConfigError(
      `The model's vocabulary expects characters among ${JSON.stringify(known.join(''))}, got ${shown} in --prompt. Leave them out or replace them.`,
      'prompt',
    );
  }
  const suggestions = unknown
    .slice(0, 10)
    .flatMap((token) => closestNames(token, known, 1).map((close) => `${JSON.stringify(token)} → ${JSON.stringify(close)}`));
  throw new ConfigError(
    `The model's vocabulary of ${known.length} words expects words it was trained on, got ${shown} in --prompt.` +
      (suggestions.length > 0 ? ` Closest known: ${suggestions.join(', ')}.` : ' Leave them out or replace them.'),
    'prompt',
  );
}

/** A model that decodes token by token from a batch size: what every nnkit language model is. */
function isLanguageModel(model: Partial<IncrementalDecoder<number>>): model is IncrementalDecoder<number> {
  return typeof model.step === 'function' && typeof model.initialState === 'function' && typeof model.vocabularySize === 'number';
}
