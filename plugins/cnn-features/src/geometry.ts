/**
 * Where a unit of a convolutional layer looks in the input: its receptive field. A unit at (row i, column j) of the
 * layer's map sees input rows `offset + i·stride … offset + i·stride + size − 1` (and the same columns); rows
 * outside the image are padding. `stride` is how far the window moves per step on the map (the product of the
 * strides below it).
 */
export interface ReceptiveField {
  readonly size: number;
  readonly stride: number;
  /** The first input row (column) of the unit at row (column) 0: negative where 'same' padding reaches outside. */
  readonly offset: number;
}

/** One layer of a stack, for the arithmetic: a square kernel, its stride, and its padding on the top/left. */
export interface LayerGeometry {
  readonly kernel: number;
  readonly stride: number;
  readonly padBefore: number;
}

/**
 * The receptive field after each layer of a stack (Araujo et al. 2019, "Computing receptive fields of CNNs"):
 * size_l = size_{l−1} + (k_l − 1)·jump_{l−1}, jump_l = jump_{l−1}·s_l, offset_l = offset_{l−1} − p_l·jump_{l−1}.
 */
export function stackReceptiveFields(layers: readonly LayerGeometry[]): ReceptiveField[] {
  let field: ReceptiveField = { size: 1, stride: 1, offset: 0 };
  return layers.map(({ kernel, stride, padBefore }) => {
    field = {
      size: field.size + (kernel - 1) * field.stride,
      stride: field.stride * stride,
      offset: field.offset - padBefore * field.stride,
    };
    return field;
  });
}

/**
 * The receptive field of each block's convolution (after its ReLU, before its pooling) in a stack of blocks
 * conv k×k (stride 1, 'same' padding: tfjs pads ⌊(k−1)/2⌋ before) → ReLU → 2×2 max pooling (stride 2, no padding).
 * With 3×3 kernels: conv1 3×3, conv2 8×8, conv3 18×18, their windows moving by 1, 2 and 4 input pixels.
 */
export function blockReceptiveFields(blocks: number, kernelSize: number): ReceptiveField[] {
  const layers: LayerGeometry[] = [];
  for (let b = 0; b < blocks; b++) {
    layers.push({ kernel: kernelSize, stride: 1, padBefore: Math.floor((kernelSize - 1) / 2) });
    layers.push({ kernel: 2, stride: 2, padBefore: 0 });
  }
  return stackReceptiveFields(layers).filter((_, i) => i % 2 === 0);
}
