import type { Kit, RecipeOptions, RecipeResult } from '@nnkit/core';
import { checkUtterances, UTTERANCES_DATASET, type SpokenDigitsCorpus } from '@nnkit/datasets';
import type { Listener } from '@nnkit/plugin-seq2seq-attention';
import type { TranscribedSpeechCorpus } from '@nnkit/plugin-tasks';
import { saveModel } from '@nnkit/train';
import { writeAtomic } from '@nnkit/viz';
import { figurePath, nnkitCommand, percent, row } from './report.js';
import { recipeOf } from './recipe-of.js';
import { fitListener, LISTENER, type FittedListener } from './speech/fit-listener.js';
import { attentionMonotonicity } from './speech/monotonicity.js';
import { writeSpeechAttentionMaps } from './speech/speech-attention-maps.js';
import { taskOf } from './task-of.js';

/** Issue 25's targets: character error rate on voices never heard in training, and attention that runs forward in time. */
const TARGET_CER = 0.05;
const TARGET_MONOTONIC = 0.95;
/**
 * The peak's mean travel from the first digit to the last, as a share of the utterance: flat attention never moves
 * and so never moves back; a listening speller crosses most of the speech (eSpeak NG leaves little silence around it).
 */
const TARGET_TRAVEL = 0.5;

const SETTINGS = {
  // A first look and the tests' setting: a few dozen utterances, two epochs; its one claim is that training learns.
  // Measured: 8 s once the audio is cached, 37 s on a first run (29 s of it eSpeak NG).
  quick: { train: 64, validation: 8, test: 16, epochs: 2, batchSize: 16, units: 32, projection: 32, learningRate: 5e-3 },
  // Sized for about 15 minutes on 2 busy cores, measured at 0.43–0.54 s a step (batch 32, native backend, beside
  // another training): 2 models × 10 epochs × 47 steps ≈ 8 minutes, and on a first run the synthesis of 1,900
  // utterances (0.16–0.33 s each, cached for every later run).
  full: {
    train: 1500,
    validation: 100,
    test: 300,
    epochs: 10,
    batchSize: 32,
    units: 64,
    projection: 64,
    learningRate: 3e-3,
    decayAfter: 6,
  },
};

type Setting = (typeof SETTINGS)[keyof typeof SETTINGS];

/** One trained model's scores on the test voices. */
interface Scored {
  readonly name: string;
  readonly fitted: FittedListener;
  readonly exactMatch: number;
  readonly cer: number;
  readonly outputs: number[][];
  readonly attention: number[][][];
}

/** Trains one listener (`las` or `bottleneck`) and transcribes the test split, keeping the outputs and their attention. */
async function trainAndTest(
  kit: Kit,
  corpus: SpokenDigitsCorpus,
  setting: Setting,
  seed: number,
  name: string,
  preset: string,
): Promise<Scored> {
  const fitted = await fitListener(kit, corpus, {
    label: `speech: ${name}`,
    preset,
    config: { units: setting.units, projection: setting.projection },
    epochs: setting.epochs,
    batchSize: setting.batchSize,
    learningRate: setting.learningRate,
    ...('decayAfter' in setting && { decayAfter: setting.decayAfter }),
    seed,
  });
  const outputs = { outputs: [] as number[][], attention: [] as number[][][] };
  const scores = await taskOf<TranscribedSpeechCorpus, Listener>(kit, LISTENER).evaluate(fitted.instance.model, corpus, 'test', {
    kit,
    outputs,
  });
  return { name, fitted, exactMatch: scores.exact_match!, cer: scores.character_error_rate!, ...outputs };
}

/**
 * Saves the attention model with its vocabulary and front-end settings, and beside it the WAV of a test utterance
 * (a voice never heard in training) that it transcribed right, read again from the registered utterances: the
 * `nnkit transcribe` command printed with the table runs one on the other. Where it transcribed none right, the WAV is
 * the first test utterance's and `wavHeardRight` says so.
 */
async function saveForTranscribe(
  kit: Kit,
  options: RecipeOptions,
  corpus: SpokenDigitsCorpus,
  scored: Scored,
  dataset: Readonly<Record<string, number>>,
  features: Readonly<Record<string, number>>,
): Promise<{ model: string; wav: string; wavHeardRight: boolean; commands: string[] }> {
  const dir = figurePath(options, 'speech', 'model');
  const model = await saveModel(dir, scored.fitted.instance, {
    ...taskOf<TranscribedSpeechCorpus, Listener>(kit, LISTENER).saveExtras!(corpus),
    dataset: { key: 'datasets/spoken-digits', options: features },
  });
  const audio = checkUtterances(await kit.loadDataset(UTTERANCES_DATASET, dataset), UTTERANCES_DATASET);
  const right = corpus.test.findIndex((e, i) => e.targets[0]!.join() === scored.outputs[i]!.join());
  const utterance = audio.test[Math.max(0, right)]!;
  const wav = figurePath(options, 'speech', `unheard-voice-${utterance.digits}.wav`);
  // Written beside and renamed, as the figures are: an interrupted run leaves no half WAV for nnkit transcribe to refuse.
  writeAtomic(wav, await utterance.wav());
  return { model, wav, wavHeardRight: right >= 0, commands: [nnkitCommand('transcribe', dir, wav)] };
}

/** The run of `speech` below, with the setting the options chose and its seed. */
async function reproduceSpeech(kit: Kit, setting: Setting, seed: number, options: RecipeOptions): Promise<RecipeResult> {
  const dataset = { train: setting.train, validation: setting.validation, test: setting.test, seed };
  // Noise from 10 to 60 dB SNR (the dataset's default stops at 30): with the front end's 60 dB range, a clean
  // recording then reads like the quietest training noise. Trained at 10–30 dB, the listener misread clean eSpeak NG
  // audio of a held-out voice (4297 for 4217) that it read right with noise added at 20 or 40 dB.
  const features = { ...dataset, minSnrDb: 10, maxSnrDb: 60 };
  // Through the registry: the audio comes from @nnkit/spoken-digits (GPL) where it is loaded, else a PluginError says how.
  const corpus = await kit.loadDataset<SpokenDigitsCorpus>('datasets/spoken-digits', features);
  const runs: Scored[] = [];
  try {
    runs.push(await trainAndTest(kit, corpus, setting, seed, 'with attention', 'las'));
    runs.push(await trainAndTest(kit, corpus, setting, seed, 'without attention', 'bottleneck'));
    const [las, bottleneck] = runs as [Scored, Scored];
    const text = (ids: readonly number[]) => corpus.targetVocabulary.decode([...ids]).join('');
    const monotonic = attentionMonotonicity(las.attention);
    const reduction = las.fitted.instance.model.reduction;
    const frameSeconds = corpus.features.hopLength / corpus.features.sampleRate;
    const shown = corpus.test.slice(0, 4).map((e, i) => ({
      said: e.transcript,
      heard: text(las.outputs[i]!),
      voice: e.voice,
      characters: corpus.targetVocabulary.decode(las.outputs[i]!),
      attention: las.attention[i]!,
    }));
    const figures = shown.every((s) => s.attention.length > 0)
      ? [await writeSpeechAttentionMaps(figurePath(options, 'speech', 'attention.png'), shown, reduction, frameSeconds)]
      : [];
    const saved = await saveForTranscribe(kit, options, corpus, las, dataset, features);
    const fullOnly = options.quick ? ' (full run only)' : '';
    const judged = (ok: boolean) => (options.quick ? undefined : ok);
    const lossFell = (r: Scored) => r.fitted.history.at(-1)!.metrics.loss! < r.fitted.history[0]!.metrics.loss!;
    const voices = corpus.voices.test.length;
    return {
      rows: [
        ...(options.quick
          ? [
              row(
                'training loss, first epoch → last, both models',
                'falls (quick setting: the weaker claim)',
                runs
                  .map(
                    (r) =>
                      `${r.name}: ${r.fitted.history[0]!.metrics.loss!.toFixed(3)} → ${r.fitted.history.at(-1)!.metrics.loss!.toFixed(3)}`,
                  )
                  .join('; '),
                runs.every(lossFell),
              ),
            ]
          : []),
        row(
          `character error rate on ${corpus.test.length} utterances by ${voices} voice${voices === 1 ? '' : 's'} never heard in training, with attention`,
          `≤ ${percent(TARGET_CER, 0)}${fullOnly}`,
          percent(las.cer),
          judged(las.cer <= TARGET_CER),
        ),
        row(
          'attention runs forward in time: steps whose peak does not move back; how far the peak travels across an utterance',
          `≥ ${percent(TARGET_MONOTONIC, 0)}; ≥ ${percent(TARGET_TRAVEL, 0)}${fullOnly}`,
          `${percent(monotonic.share, 1)} (${monotonic.backward} of ${monotonic.steps} steps went back); ${percent(monotonic.travel, 0)}`,
          judged(monotonic.steps > 0 && monotonic.share >= TARGET_MONOTONIC && monotonic.travel >= TARGET_TRAVEL),
        ),
        row(
          'character error rate without attention (the bottleneck)',
          `above the attention model’s${fullOnly}`,
          percent(bottleneck.cer),
          judged(bottleneck.cer > las.cer),
        ),
        row('exact match, unseen voices (with / without attention)', '—', `${percent(las.exactMatch)} / ${percent(bottleneck.exactMatch)}`),
        ...shown.map((s) => row(`“${s.said}” (${s.voice})`, s.said, s.heard)),
        row(
          `training (${kit.backend.name})`,
          '—',
          runs
            .map(
              (r) =>
                `${r.name}: ${Math.round(r.fitted.seconds)} s for ${r.fitted.steps} steps, ${Math.round(r.fitted.utterancesPerSecond)} utterances/s, ${r.fitted.parameters.toLocaleString('en-US')} parameters`,
            )
            .join('; '),
        ),
      ],
      figures,
      details: {
        characterErrorRate: { withAttention: las.cer, withoutAttention: bottleneck.cer },
        exactMatch: { withAttention: las.exactMatch, withoutAttention: bottleneck.exactMatch },
        monotonicity: monotonic,
        voices: corpus.voices,
        runs: runs.map((r) => ({
          name: r.name,
          seconds: r.fitted.seconds,
          steps: r.fitted.steps,
          parameters: r.fitted.parameters,
          history: r.fitted.history,
        })),
        ...saved,
      },
    };
  } finally {
    for (const r of runs) r.fitted.instance.model.dispose();
  }
}

/**
 * The lecture's speech recognition (“Распознавание голоса”) with sequence-to-sequence attention: Listen, Attend and
 * Spell in small (Chan et al. 2016) on spoken digit strings synthesized by eSpeak NG in 80 voices, tested on 16
 * voices it never heard; the same model without attention is the baseline.
 */
export const speech = recipeOf({
  name: 'speech',
  description:
    'recognize spoken digit strings with a pyramidal BiLSTM and attention (Listen, Attend and Spell), on voices never heard in training',
  reproduces:
    'A listener–speller with attention transcribes spoken digits by unseen voices at ≤ 5% character error rate, its attention running forward in time (Chan et al. 2016); without attention it does worse.',
  settings: SETTINGS,
  seed: 25,
  reproduce: reproduceSpeech,
});
