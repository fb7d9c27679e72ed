import { createRequire } from 'node:module';
import { DataError } from '@nnkit/core';
import { isPennTag } from './penn-tags.js';

/** One sentence: its tokens in lower case and a Penn tag for each. */
export interface TaggedSentence {
  readonly words: readonly string[];
  readonly tags: readonly string[];
}

/** The token wink-pos-tagger gives back: its text, its kind (`word`, `punctuation`, `number`, `alien`, …) and its tag. */
interface WinkToken {
  readonly value: string;
  readonly tag: string;
  readonly pos: string;
}

interface WinkTagger {
  tagSentence(text: string): WinkToken[];
}

/** Where the labels come from, for corpora and reports to say: a tagger's output, not a treebank's annotation. */
export const SILVER_TAGGER = 'wink-pos-tagger';

let tagger: WinkTagger | undefined;

/** The one tagger of this process: building it reads wink's lexicon (≈ 0.2 s), so it is built once, when first needed. */
function winkTagger(): WinkTagger {
  if (tagger) return tagger;
  try {
    const make = createRequire(import.meta.url)(SILVER_TAGGER) as () => WinkTagger;
    tagger = make();
  } catch (error) {
    throw new DataError(
      `The silver-tagged corpora expect the npm package ${SILVER_TAGGER}, got: ${(error as Error).message}. Install it: pnpm add ${SILVER_TAGGER}`,
    );
  }
  return tagger;
}

/** Dashes of every width, which the Penn Treebank tags `:` (wink calls an em dash `alien` and tags it NNP). */
const DASH = /^(?:-{1,3}|[‐‑‒–—―]+)$/;
/** Quotation marks: dropped, since the treebank's `` and '' need a direction that wink does not give. */
const QUOTE = /^["“”„'‘’`]+$/;

/**
 * One sentence tagged by wink-pos-tagger (a rule-based Brill-style tagger over the Penn tag set): SILVER labels,
 * right for most tokens and wrong for some, never checked by a person. Words are lower-cased; dashes become `:`;
 * quotation marks and the rare token whose tag is not a Penn tag are left out.
 */
export function tagSilver(sentence: string): TaggedSentence {
  const words: string[] = [];
  const tags: string[] = [];
  for (const token of winkTagger().tagSentence(sentence)) {
    if (QUOTE.test(token.value)) continue;
    const tag = DASH.test(token.value) ? ':' : token.pos === 'HYPH' ? ':' : token.pos;
    if (!isPennTag(tag)) continue;
    words.push(token.value.toLowerCase());
    tags.push(tag);
  }
  return { words, tags };
}
