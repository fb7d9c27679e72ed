import type { ImageCaptionCorpus, TrainableModel } from '@nnkit/core';
import type { Captions } from '@nnkit/train';
import type { AttentionGrid } from '@nnkit/viz';

/** What the CLI needs of an image captioner: what scoring needs (images in, word ids and attention out), and where its grid looks. */
export interface ImageCaptioner extends TrainableModel, Captions {
  readonly grid?: AttentionGrid;
}

export function isImageCaptionCorpus(data: unknown): data is ImageCaptionCorpus {
  return (data as ImageCaptionCorpus | undefined)?.kind === 'image-captions';
}

export function isCaptioner(model: unknown): model is ImageCaptioner {
  return typeof (model as ImageCaptioner | undefined)?.caption === 'function';
}
