import type { DecoderState } from './incremental-decoder.js';

/**
 * Frees the tensors of `state` that none of `keep` holds. A decoder may pass a tensor through from one state
 * to the next (encoder outputs do not change), and the caller's own state must survive decoding: freeing by
 * identity, minus what is still in use, frees each tensor exactly once.
 */
export function releaseState(state: DecoderState, ...keep: DecoderState[]): void {
  const inUse = new Set(keep.flat());
  for (const tensor of state) {
    if (!inUse.has(tensor)) tensor.dispose();
  }
}
