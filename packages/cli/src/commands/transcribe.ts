import { resolve } from 'node:path';
import { ConfigError, RESERVED_TOKENS, UNK_ID } from '@nnkit/core';
import { isSpeechRecognizer, type SpeechRecognizer } from '@nnkit/plugin-tasks';
import { BEAM_RANGE } from '../beam-option.js';
import { defineCommand, option } from '../define-command.js';
import { readRecording, savedFrontEnd } from '../recording.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';
import { attentionGrid } from './translate.js';

/** The most characters a transcript may have: decoding stops there, with a note. Spoken digit strings have at most 20. */
const MAX_CHARACTERS = 200;

export const transcribeCommand = defineCommand({
  usage: 'transcribe <model-dir> <file.wav>',
  summary: `write down what is said in a WAV file (16-bit PCM mono) with a saved speech recognizer (seq2seq/listener), in at most ${MAX_CHARACTERS} characters`,
  options: {
    beam: option.integer('beam width (default 1: greedy decoding)', BEAM_RANGE),
    attention: option.flag('also print where each character listened, as a text grid over time'),
  },
  async run({ positionals, options, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const file = positionals[1]!;
    const beam = options.beam ?? 1;
    // The recording is read and checked before the model loads: a wrong path or a file that is not WAV costs nothing.
    const wav = readRecording(file);
    const kit = await makeKit();
    await withSavedModel(kit, dir, asRecognizer, async ({ model, vocabulary, features }, { metadata }) => {
      const frontEnd = savedFrontEnd(features, dir);
      const { frames, values } = frontEnd.features(wav, file);
      const result = await model.transcribe([values], { beam, maxLength: MAX_CHARACTERS });
      const tokens = result.tokens[0]!;
      // The end token is not among the tokens: MAX_CHARACTERS of them means the model never ended the transcript.
      const cut = tokens.length >= MAX_CHARACTERS;
      if (cut) kit.progress.log(`transcript cut at ${MAX_CHARACTERS} characters: the model had not ended it.`);
      const characters = tokens.map((id) => vocabulary[id] ?? RESERVED_TOKENS[UNK_ID]);
      const transcript = characters.join(metadata.separator ?? '');
      const attention = result.attention?.[0] ?? [];
      const seconds = (frames * frontEnd.settings.hopLength) / frontEnd.settings.sampleRate;
      print(
        {
          model: metadata.model,
          dir,
          file,
          transcript,
          characters,
          beam,
          frames,
          seconds,
          cut,
          ...(options.attention && { attention }),
        },
        () =>
          options.attention && attention.length > 0
            ? `${transcript}\n\n${attentionGrid(
                attention,
                attention[0]!.map(() => '·'),
                characters,
              )}\n(one column per encoder step, time running right)`
            : transcript,
      );
    });
  },
});

/** The saved model as a speech recognizer with its vocabulary and feature settings, or a refusal that says how to get one. */
function asRecognizer({ instance, metadata, dir }: SavedModel): {
  model: SpeechRecognizer;
  vocabulary: readonly string[];
  features: Readonly<Record<string, unknown>>;
} {
  const { vocabulary, features } = metadata;
  if (!isSpeechRecognizer(instance.model) || !vocabulary || !features) {
    throw new ConfigError(
      `transcribe expects a saved speech recognizer with its vocabulary and feature settings, got ${metadata.model} in ${dir}. ` +
        'Train one with: nnkit recipe speech (or nnkit train seq2seq/listener --dataset datasets/spoken-digits)',
    );
  }
  return { model: instance.model, vocabulary, features };
}
