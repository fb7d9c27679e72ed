import { ConfigError } from '@nnkit/core';

export const UNKNOWN = '<unk>';
export const END_OF_TEXT = '<eos>';

/** Tokens as ids, and back. Id 0 is `<unk>`, which every token seen fewer than `minCount` times in training becomes. */
export interface Vocabulary {
  readonly tokens: readonly string[];
  id(token: string): number;
  encode(tokens: readonly string[]): Int32Array;
  decode(ids: ArrayLike<number>): string[];
}

/** A vocabulary from training tokens: `<unk>` first, then tokens by falling frequency (ties alphabetically). */
export function buildVocabulary(training: readonly string[], minCount = 1): Vocabulary {
  if (!(Number.isInteger(minCount) && minCount >= 1))
    throw new ConfigError(`buildVocabulary expects minCount to be an integer ≥ 1, got ${minCount}.`, 'minCount');
  const counts = new Map<string, number>();
  for (const token of training) counts.set(token, (counts.get(token) ?? 0) + 1);
  const kept = [...counts]
    .filter(([token, count]) => count >= minCount && token !== UNKNOWN)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const tokens = [UNKNOWN, ...kept.map(([token]) => token)];
  const index = new Map(tokens.map((token, i) => [token, i]));
  const id = (token: string) => index.get(token) ?? 0;
  return {
    tokens,
    id,
    encode: (list) => Int32Array.from(list, id),
    decode: (ids) => Array.from(ids, (i) => tokens[i] ?? UNKNOWN),
  };
}

/** Words: lower case, letters with inner apostrophes, and sentence punctuation as tokens of their own. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:['’][a-z]+)*|[.,;:!?]/g) ?? [];
}

/** Characters, with runs of white space made one space. */
export function characterTokens(text: string): string[] {
  return [...text.replace(/\s+/g, ' ')];
}

/**
 * Tokens back into text: characters run together; words take spaces, except before punctuation, and each `<eos>`
 * becomes `endOfText` (a new line by default).
 */
export function joinTokens(tokens: readonly string[], level: 'word' | 'char', endOfText = '\n'): string {
  if (level === 'char') return tokens.join('');
  return tokens
    .join(' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .replace(/ ?<eos> ?/g, endOfText);
}
