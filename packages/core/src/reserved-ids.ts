/**
 * The ids every SymbolVocabulary reserves (the vocabulary contract, training-contract.ts): `<pad>` 0, `<s>` 1, `</s>` 2
 * and `<unk>` 3, before any symbol of the data. Models, batching and decoding read them from here rather than each
 * defining its own: a decoder starts from START_ID and stops at END_ID, batches pad with PAD_ID.
 */
export const PAD_ID = 0;
export const START_ID = 1;
export const END_ID = 2;
export const UNK_ID = 3;

/** The reserved symbols, at their ids: RESERVED_TOKENS[PAD_ID] is '<pad>'. */
export const RESERVED_TOKENS = ['<pad>', '<s>', '</s>', '<unk>'] as const;

/** Where a target starts and ends, as padTargets, sequencePairBatches and captionBatches take it. */
export const SEQUENCE_ENDS = { startId: START_ID, endId: END_ID } as const;
