/**
 * Classes for words a tagger did not see often enough in training, by their shape and suffix: what a rare word's
 * letters say about its tag without the word itself (Weischedel et al. 1993 for an HMM's unknown words; Brants 2000's
 * TnT reads suffixes the same way). Tested in order; the first that matches names the class. Words are lower case,
 * so capitalization cannot be one of the clues.
 */
const CLASSES: readonly (readonly [string, (word: string) => boolean])[] = [
  ['number', (w) => /^[\d.,]+$/.test(w) && /\d/.test(w)],
  ['has-digit', (w) => /\d/.test(w)],
  ['punctuation', (w) => !/[a-z\d]/.test(w)],
  ['hyphenated', (w) => w.includes('-')],
  ['apostrophe', (w) => w.includes("'") || w.includes('’')],
  ['-ing', (w) => w.endsWith('ing')],
  ['-ed', (w) => w.endsWith('ed')],
  ['-ly', (w) => w.endsWith('ly')],
  ['-tion', (w) => /(?:tion|sion)s?$/.test(w)],
  ['-ness', (w) => /(?:ness|ment|ity|ship)s?$/.test(w)],
  ['-able', (w) => /(?:able|ible|ous|ive|ful|less|ish|ic|al|ary)$/.test(w)],
  ['-est', (w) => w.endsWith('est')],
  ['-er', (w) => /(?:er|or)$/.test(w)],
  ['-ize', (w) => /(?:ize|ise|ate|ify)s?$/.test(w)],
  ['-s', (w) => w.endsWith('s') && !w.endsWith('ss')],
  ['short', (w) => w.length <= 3],
  ['other', () => true],
];

/** The token that stands for every rare or unseen word of one class: `<unk:-ing>`. */
export const WORD_CLASS_TOKENS: readonly string[] = CLASSES.map(([name]) => `<unk:${name}>`);

/** The class token of `word` (lower case): `running` → `<unk:-ing>`, `1,000` → `<unk:number>`. */
export function wordClassToken(word: string): string {
  const index = CLASSES.findIndex(([, matches]) => matches(word));
  return WORD_CLASS_TOKENS[index]!;
}
