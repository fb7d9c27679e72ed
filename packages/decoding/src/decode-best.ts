import { beamSearch } from './beam-search.js';
import { greedyDecode, type GreedyDecodeOptions } from './greedy-decode.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';

export interface DecodeBestOptions extends GreedyDecodeOptions {
  /** Beam width: beam search keeps this many hypotheses per row. Default: greedy decoding. */
  readonly beam?: number;
  /** Beam search's α (fairseq's lenpen); ignored by greedy decoding. */
  readonly lengthPenalty?: number;
}

/** One output per row: its tokens, their log-probability and, where the decoder attends, the attention per token. */
export interface BestOutputs {
  readonly tokens: number[][];
  readonly logProbability: number[];
  readonly attention: (number[][] | undefined)[];
}

/**
 * Greedy decoding, or beam search's best hypothesis per row when `beam` is given: what a translator or a captioner
 * returns for its inputs. The state stays the caller's.
 */
export async function decodeBest(
  decoder: IncrementalDecoder,
  state: DecoderState,
  { beam, lengthPenalty, ...options }: DecodeBestOptions,
): Promise<BestOutputs> {
  if (beam === undefined) {
    const result = await greedyDecode(decoder, state, options);
    return {
      tokens: result.tokens,
      logProbability: result.logProbability,
      attention: result.tokens.map((_, row) => result.attention?.[row]),
    };
  }
  const best = (
    await beamSearch(decoder, state, {
      ...options,
      beamWidth: beam,
      ...(lengthPenalty !== undefined && { lengthPenalty }),
    })
  ).map((hypotheses) => hypotheses[0]!);
  return {
    tokens: best.map((h) => h.tokens),
    logProbability: best.map((h) => h.logProbability),
    attention: best.map((h) => h.attention),
  };
}
