export { assignWeights } from './weights-codec.js';
export { train, DEFAULT_DIVERGENCE_FACTOR, type TrainOptions, type TrainResult, type TrainSplits } from './train.js';
export { evaluate, isBatchSource, type EvaluateOptions, type EvaluationData } from './evaluate.js';
export { earlyStopping, type Callback, type EpochLog, type TrainingCallbacks, type TrainingLog, type TrainingRun } from './callbacks.js';
export { learningRateSchedule, reduceOnPlateau, stepDecay, type ReduceOnPlateauOptions, type StepDecayOptions } from './learning-rate.js';
export { restoreBestWeights, type BestWeights, type RestoreBestWeightsOptions } from './best-weights.js';
export { modelCheckpoint, type CheckpointCallback } from './checkpoint-callback.js';
export {
  CheckpointStore,
  readCheckpoint,
  type CheckpointOptions,
  type Checkpoint,
  type CheckpointHeader,
  type CheckpointRun,
  type TrainingPosition,
} from './checkpoint-store.js';
export { writeFileAtomic } from './atomic-write.js';
export { createOptimizer } from './optimizer.js';
export { FlatAdamOptimizer } from './flat-adam.js';
export { accuracy, accuracyMetric, crossEntropy, perplexity, bitsPerCharacter, perplexityMetric, bitsPerTokenMetric } from './metrics.js';
export { TrainingDivergedError, FolderInUseError, type LockOwner } from './errors.js';
export { lockFolder, waitForFolder, type FolderLock, type LockOptions } from './folder-lock.js';
export { checkWritableFolder, storageError } from './storage.js';
export { epochOrder, exampleBatches, batchesOf, type ExampleBatchOptions } from './batches.js';
export { sequencePairBatches, padPairs, padTargets, pairsOf, type SequencePairOptions, type TargetEnds } from './sequence-pairs.js';
export { captionBatches, type CaptionBatchOptions } from './caption-batches.js';
export { scoreCaptions, type CaptionSplit, type CaptioningModel, type Captions } from './score-captions.js';
export { streamWindows, type BpttSettings } from './bptt-mode.js';
export { trainedVariables } from './trained-weights.js';
export {
  saveModel,
  loadModel,
  readModelJson,
  type SavedModelMetadata,
  type SaveOptions,
  type SequenceVocabularies,
  type StorageOption,
} from './save-load.js';
export { toStreams } from './streams.js';
export { evaluateStream, type StreamSplit } from './evaluate-stream.js';
export { editDistance, closestReference, corpusBleu, type SequenceScores } from './sequence-metrics.js';
export {
  bleu,
  exactMatch,
  generatedBatch,
  scoreSequences,
  sequenceErrorRate,
  sequenceMetrics,
  tokenErrorRate,
  wordErrorRate,
} from './generation-metrics.js';
export type { GeneratedOutputs } from './generated-pass.js';
export {
  scoreTranslations,
  type GenerationOptions,
  type TranslationSplit,
  type TranslationModel,
  type Translates,
} from './score-translations.js';
export { checkOutputFolder, type OutputFolderCheck, type OutputFolderOptions } from './output-folder.js';
export { cleanDeadTemporaries, orphanWeights, removeLitter } from './litter.js';
export { runFolderContents, describeRunFolder, isEmptyRunFolder, type RunFolderContents } from './run-folder.js';
export { splitOf, type SplitData } from './split-of.js';
