import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { captionedImages } from './captioned-images.js';
import { labelledImages } from './labelled-images.js';
import { sequencePairs } from './sequence-pairs.js';
import { speechTranscripts } from './speech-transcripts.js';
import { tokenStreams } from './token-streams.js';

/**
 * The kinds of data nnkit's built-in models learn, as tasks: `tasks/labelled-images`, `tasks/token-streams`,
 * `tasks/sequence-pairs`, `tasks/captioned-images` and `tasks/speech-transcripts`. A model names its task (`task: 'tasks/sequence-pairs'`), and
 * `nnkit train` and `nnkit eval` batch, fill its config and score it through that task.
 */
export default function tasksPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-tasks', version: '1.0.0', namespace: 'tasks', nnkit: '^2.0.0' },
    tasks: [labelledImages, tokenStreams, sequencePairs, captionedImages, speechTranscripts],
  });
}

export { labelledImages, isSupervisedData, isTrainable } from './labelled-images.js';
export { tokenStreams, isTokenCorpus, isStreamModel, measureOnTokens, VALIDATION_STREAMS } from './token-streams.js';
export { sequencePairs, isSequencePairCorpus, isTranslator, vocabulariesOf, type SequenceTranslator } from './sequence-pairs.js';
export { captionedImages, isImageCaptionCorpus, isCaptioner, type ImageCaptionerModel } from './captioned-images.js';
export {
  speechTranscripts,
  isTranscribedSpeechCorpus,
  isSpeechRecognizer,
  scoreTranscripts,
  type TranscribedSpeechCorpus,
  type SpeechRecognizer,
  type TranscribeOptions,
} from './speech-transcripts.js';
export { speechBatches, padFrames, type TranscribedUtterance, type SpeechBatchOptions } from './speech-batches.js';
export { refuseMisfits, type CorpusFit } from './corpus-fit.js';
export { batchSizeFor } from './batch-size.js';
