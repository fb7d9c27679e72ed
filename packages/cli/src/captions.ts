import type { ImageCaptionerModel } from '@nnkit/plugin-tasks';
import type { AttentionGrid } from '@nnkit/viz';

export { isCaptioner } from '@nnkit/plugin-tasks';

/** What the CLI needs of an image captioner: what its task calls on (images in, word ids and attention out), and where its grid looks. */
export interface ImageCaptioner extends ImageCaptionerModel {
  readonly grid?: AttentionGrid;
}
