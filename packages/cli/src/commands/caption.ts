import { basename, extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, ShapeError } from '@nnkit/core';
import { loadModel } from '@nnkit/train';
import { attentionFigure, readPng, writeFigure, type GreyImage } from '@nnkit/viz';
import { isCaptioner, type ImageCaptioner } from '../captions.js';
import { beamOption } from '../beam-option.js';
import type { Command } from '../command.js';

/**
 * The picture as the datasets draw theirs: light ink on black in [0, 1]. A picture that is mostly light is taken to be
 * dark ink on paper and inverted.
 */
function asInk(image: GreyImage): { pixels: Float32Array; inverted: boolean } {
  const mean = image.grey.reduce((a, b) => a + b, 0) / image.grey.length;
  return mean > 0.5 ? { pixels: image.grey.map((v) => 1 - v), inverted: true } : { pixels: Float32Array.from(image.grey), inverted: false };
}

export const captionCommand: Command = {
  name: 'caption',
  usage: 'caption <model-dir> <image.png>',
  summary: 'describe a picture with a saved image captioner (captioner/captioner) and draw where each word looked',
  positionals: { min: 2, max: 2 },
  options: {
    beam: { type: 'string', description: 'beam width (default 1: greedy decoding)' },
    out: { type: 'string', description: 'folder for <image>-attention.png (default: nnkit-out/caption)' },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const file = positionals[1]!;
    const beam = beamOption(values.beam);
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<ImageCaptioner>(kit, dir);
    try {
      const model = instance.model;
      const vocabulary = metadata.vocabulary;
      if (!isCaptioner(model) || !vocabulary) {
        throw new ConfigError(`caption expects a saved image captioner with its vocabulary, got ${metadata.model} in ${dir}. Train one with: nnkit train captioner/captioner`);
      }
      const [height, width] = [Number(metadata.config.imageHeight), Number(metadata.config.imageWidth)];
      let image: GreyImage;
      try {
        image = readPng(file);
      } catch (error) {
        throw new DataError((error as Error).message, { cause: error });
      }
      if (image.width !== width || image.height !== height) {
        throw new ShapeError(`${metadata.model} in ${dir} expects a ${width}×${height} picture (width × height), got ${image.width}×${image.height} in ${file}. Resize or pad it to ${width}×${height}.`);
      }
      const { pixels, inverted } = asInk(image);
      const images = tf.tensor4d(pixels, [1, height, width, 1]);
      const result = await model.caption(images, { ...(beam > 1 && { beam }), maxLength: 40 }).finally(() => images.dispose());
      const words = result.tokens[0]!.map((id) => vocabulary[id] ?? '<unk>');
      const text = words.join(metadata.separator ?? '');
      const attention = result.attention?.[0] ?? [];
      let figure: string | undefined;
      if (model.grid && attention.length > 0) {
        const out = resolve(String(values.out ?? join('nnkit-out', 'caption')));
        figure = await writeFigure(
          join(out, `${basename(file, extname(file))}-attention.png`),
          attentionFigure({ title: `“${text}”`, subtitle: `${metadata.model} from ${dir}${beam > 1 ? `, beam ${beam}` : ''}`, examples: [{ image: pixels, words: words.map((word, t) => ({ word, attention: attention[t]! })) }], height, width, grid: model.grid, scale: Math.max(1, Math.round(112 / height)) }),
        );
      }
      print({ model: metadata.model, dir, image: file, caption: text, words, beam, inverted, ...(figure && { figure }), attention }, () =>
        [text, ...(inverted ? ['(the picture was mostly light: read as dark ink on paper and inverted)'] : []), ...(figure ? [`attention: ${figure}`] : [])].join('\n'),
      );
    } finally {
      instance.model.dispose?.();
    }
  },
};
