// Decoding written once for every sequence model: the IncrementalDecoder contract and the searches over it.
export type { DecoderState, DecoderStep, IncrementalDecoder } from './incremental-decoder.js';
export type { TrainableDecoder } from './trainable-decoder.js';
export { gatherRows } from './gather-rows.js';
export { feedTokens, type FedTokens } from './feed-tokens.js';
export { greedyDecode, type GreedyDecodeOptions } from './greedy-decode.js';
export { sampleDecode, type SampleDecodeOptions } from './sample-decode.js';
export { beamSearch, type BeamSearchOptions, type Hypothesis } from './beam-search.js';
export { decodeBest, type DecodeBestOptions, type BestOutputs } from './decode-best.js';
export type { DecodeResult } from './token-by-token.js';
export { continuePrompt, type ContinuePromptOptions } from './continue-prompt.js';
