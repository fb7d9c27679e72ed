// Sentences with silver part-of-speech tags (wink-pos-tagger's Penn tags, not a treebank's).
export { PENN_TAGS, isPennTag, type PennTag } from './penn-tags.js';
export { splitSentences } from './sentences.js';
export { tagSilver, SILVER_TAGGER, type TaggedSentence } from './silver-tagger.js';
export { taggedSentenceCorpus, TAGGED_SENTENCE_OPTIONS, type TaggedSentenceCorpus, type TaggedSentenceOptions } from './tagged-corpus.js';
export { loadMobyDickPos, mobyDickPos } from './moby-dick-pos.js';
export { loadStateOfTheUnionPos, stateOfTheUnionPos } from './sotu-pos.js';
