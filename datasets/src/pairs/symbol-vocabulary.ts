import { END_ID, PAD_ID, RESERVED_TOKENS, START_ID, UNK_ID, type SymbolVocabulary } from '@nnkit/core';

/** Ids 0–3 of every sequence-pair vocabulary, as the SymbolVocabulary contract fixes them. */
export const PAD = RESERVED_TOKENS[PAD_ID];
export const START = RESERVED_TOKENS[START_ID];
export const END = RESERVED_TOKENS[END_ID];
export const UNKNOWN_SYMBOL = RESERVED_TOKENS[UNK_ID];
export const SPECIAL_SYMBOLS = RESERVED_TOKENS;

/**
 * A vocabulary over `symbols` (duplicates allowed): the four specials, then every other symbol once, sorted by
 * UTF-16 code units. Sorting (rather than first-seen or frequency order) makes the ids depend only on the set of
 * symbols, so the same data gives the same ids whatever the split, the seed or the platform's locale.
 * Unknown symbols encode as `<unk>` (3); ids out of range decode as `<unk>`.
 */
export function symbolVocabulary(symbols: Iterable<string>): SymbolVocabulary {
  const special = new Set<string>(SPECIAL_SYMBOLS);
  const others = [...new Set(symbols)].filter((s) => !special.has(s)).sort();
  const tokens: readonly string[] = [...SPECIAL_SYMBOLS, ...others];
  const index = new Map(tokens.map((token, i) => [token, i]));
  const id = (token: string) => index.get(token) ?? UNK_ID;
  return {
    tokens,
    id,
    encode: (list) => list.map(id),
    decode: (ids) => ids.map((i) => tokens[i] ?? UNKNOWN_SYMBOL),
  };
}
