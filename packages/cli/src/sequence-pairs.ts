import { ConfigError, RESERVED_TOKENS, UNK_ID } from '@nnkit/core';

// What the CLI needs of a sequence-to-sequence model is what its task calls on (@nnkit/plugin-tasks).
export { isTranslator, type SequenceTranslator } from '@nnkit/plugin-tasks';

/**
 * Text as source ids: split on spaces where the vocabulary's tokens are words or phones, else read character by
 * character, taking a whole `<…>` token (a target-language tag such as `<2fr>`) where the vocabulary has it.
 * Symbols the vocabulary lacks are refused with the ones it knows, rather than silently read as `<unk>`.
 */
export function tokenize(text: string, vocabulary: readonly string[], separator: string): number[] {
  const index = new Map(vocabulary.map((token, id) => [token, id]));
  const tokens: string[] = [];
  if (separator === ' ') tokens.push(...text.trim().split(/\s+/));
  else {
    for (let i = 0; i < text.length;) {
      const close = text[i] === '<' ? text.indexOf('>', i) : -1;
      const tag = close > i ? text.slice(i, close + 1) : undefined;
      const token = tag !== undefined && index.has(tag) ? tag : text[i]!;
      tokens.push(token);
      i += token.length;
    }
  }
  const unknown = [...new Set(tokens.filter((t) => !index.has(t)))];
  if (unknown.length > 0) {
    const known = vocabulary.slice(4).join(separator === ' ' ? ' ' : '');
    throw new ConfigError(
      `The model's source vocabulary expects symbols among ${JSON.stringify(known)}, got ${unknown.map((t) => JSON.stringify(t)).join(', ')}.`,
    );
  }
  return tokens.map((t) => index.get(t)!);
}

export function detokenize(ids: readonly number[], vocabulary: readonly string[], separator: string): string {
  return ids.map((id) => vocabulary[id] ?? RESERVED_TOKENS[UNK_ID]).join(separator);
}
