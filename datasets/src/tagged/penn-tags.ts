/**
 * The Penn Treebank's part-of-speech tags (Marcus, Santorini & Marcinkiewicz 1993; Santorini 1990's guidelines): the 36
 * word tags, then the tags of punctuation and symbols as the treebank writes them (`-LRB-`/`-RRB-` for brackets, `:` for
 * dashes, colons and semicolons). Quotation marks (`` and '') are not among them: the silver corpora drop quotes, whose
 * direction wink-pos-tagger does not tell. A fixed list, so that the tag ids of one corpus are those of every other.
 */
export const PENN_TAGS = [
  'CC',
  'CD',
  'DT',
  'EX',
  'FW',
  'IN',
  'JJ',
  'JJR',
  'JJS',
  'LS',
  'MD',
  'NN',
  'NNS',
  'NNP',
  'NNPS',
  'PDT',
  'POS',
  'PRP',
  'PRP$',
  'RB',
  'RBR',
  'RBS',
  'RP',
  'SYM',
  'TO',
  'UH',
  'VB',
  'VBD',
  'VBG',
  'VBN',
  'VBP',
  'VBZ',
  'WDT',
  'WP',
  'WP$',
  'WRB',
  '#',
  '$',
  ',',
  '.',
  ':',
  '-LRB-',
  '-RRB-',
] as const;

export type PennTag = (typeof PENN_TAGS)[number];

const PENN = new Set<string>(PENN_TAGS);

/** Whether `tag` is one of the Penn Treebank tags above. */
export function isPennTag(tag: string): tag is PennTag {
  return PENN.has(tag);
}
