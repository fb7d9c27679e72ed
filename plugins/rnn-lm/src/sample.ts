// Sampling from a language model is @nnkit/decoding's, written once for every sequence model; kept here under the
// name the language-model examples use.
export { continuePrompt as sample, type ContinuePromptOptions as SampleOptions } from '@nnkit/decoding';
