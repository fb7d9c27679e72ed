import { basename, extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, RESERVED_TOKENS, ShapeError, UNK_ID } from '@nnkit/core';
import { checkOutputFolder } from '@nnkit/train';
import { attentionFigure, writeFigure } from '@nnkit/viz';
import { BEAM_RANGE } from '../beam-option.js';
import { isCaptioner, type ImageCaptioner } from '../captions.js';
import { defineCommand, option } from '../define-command.js';
import { asInk, readPicture } from '../picture.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';

/** The most words a caption may have: decoding stops there, with a note. The datasets' captions have at most 12. */
const MAX_WORDS = 40;

export const captionCommand = defineCommand({
  usage: 'caption <model-dir> <image.png>',
  summary: `describe a picture with a saved image captioner (captioner/captioner), in at most ${MAX_WORDS} words, and draw where each word looked`,
  options: {
    beam: option.integer('beam width (default 1: greedy decoding)', BEAM_RANGE),
    out: option.path('folder for <image>-attention.png (default: nnkit-out/caption), checked before the model runs', {
      limit: 'a writable folder, or a path where one can be made',
    }),
  },
  async run({ positionals, options, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const file = positionals[1]!;
    const beam = options.beam ?? 1;
    const out = resolve(options.out ?? join('nnkit-out', 'caption'));
    // Checked before the model loads and runs, creating nothing: a file or a read-only place once failed only after the
    // caption was made. The folder is made only when a figure is written into it.
    checkOutputFolder(out, { role: 'The figure folder (--out)' });
    // The picture is read before the model loads too: a missing, truncated or oversized file costs nothing.
    const image = readPicture(file);
    const kit = await makeKit();
    await withSavedModel(kit, dir, asCaptioner, async ({ model, vocabulary }, { metadata }) => {
      const [height, width] = [Number(metadata.config.imageHeight), Number(metadata.config.imageWidth)];
      if (image.width !== width || image.height !== height) {
        throw new ShapeError(
          `${metadata.model} in ${dir} expects a ${width}×${height} picture (width × height), got ${image.width}×${image.height} in ${file}. Resize or pad it to ${width}×${height}.`,
        );
      }
      const { pixels, inverted } = asInk(image);
      const images = tf.tensor4d(pixels, [1, height, width, 1]);
      const result = await model.caption(images, { ...(beam > 1 && { beam }), maxLength: MAX_WORDS }).finally(() => images.dispose());
      // The end token is not among the tokens: MAX_WORDS of them means the model never ended the caption.
      const cut = result.tokens[0]!.length >= MAX_WORDS;
      if (cut) kit.progress.log(`caption cut at ${MAX_WORDS} words: the model had not ended it.`);
      const words = result.tokens[0]!.map((id) => vocabulary[id] ?? RESERVED_TOKENS[UNK_ID]);
      const text = words.join(metadata.separator ?? '');
      const attention = result.attention?.[0] ?? [];
      let figure: string | undefined;
      if (model.grid && attention.length > 0) {
        figure = await writeFigure(
          join(out, `${basename(file, extname(file))}-attention.png`),
          attentionFigure({
            title: `“${text}”`,
            subtitle: `${metadata.model} from ${dir}${beam > 1 ? `, beam ${beam}` : ''}`,
            examples: [{ image: pixels, words: words.map((word, t) => ({ word, attention: attention[t]! })) }],
            height,
            width,
            grid: model.grid,
            scale: Math.max(1, Math.round(112 / height)),
          }),
        );
      }
      print(
        {
          model: metadata.model,
          dir,
          image: file,
          caption: text,
          words,
          beam,
          inverted,
          cut,
          ...(figure && { figure }),
          attention,
        },
        () =>
          [
            text,
            ...(inverted ? ['(the picture was mostly light: read as dark ink on paper and inverted)'] : []),
            ...(figure ? [`attention: ${figure}`] : []),
          ].join('\n'),
      );
    });
  },
});

/** The saved model as a captioner with its vocabulary, or a refusal that says how to get one. */
function asCaptioner({ instance, metadata, dir }: SavedModel): {
  model: ImageCaptioner;
  vocabulary: readonly string[];
} {
  const vocabulary = metadata.vocabulary;
  if (!isCaptioner(instance.model) || !vocabulary) {
    throw new ConfigError(
      `caption expects a saved image captioner with its vocabulary, got ${metadata.model} in ${dir}. Train one with: nnkit train captioner/captioner`,
    );
  }
  return { model: instance.model, vocabulary };
}
