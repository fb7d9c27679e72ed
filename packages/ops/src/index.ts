export { clipByGlobalNorm, type ClippedGradients } from './clip-by-global-norm.js';
export { globalNorm } from './global-norm.js';
export { clipGradient, type GradientClip } from './clip-gradient.js';
export { stopGradient, truncateGradient } from './stop-gradient.js';
export { unroll, type UnrollOptions, type Unrolled } from './unroll.js';
export {
  checkGradients,
  type GradientCheck,
  type GradientCheckOptions,
  type GradientMismatch,
} from './check-gradients.js';
export { softmaxCrossEntropy, sparseCrossEntropySum, sparseSoftmaxCrossEntropy } from './cross-entropy.js';
export { relu } from './relu.js';
export { nativeBackend, runNativeOp, floatType, type NativeBackend, type NativeAttr } from './native.js';
export { trainableVariable } from './variables.js';
export { uniformVariable, fanInUniform, glorotUniform, embeddingTable } from './initializers.js';
export { zerosVariable, dropout, dense } from './layers.js';
export { zeroState, prefixWeights, unstackSteps } from './cell-state.js';
export { tidy, disposeAll } from './tidy.js';
export { requireTensors } from './require-tensors.js';
export { deriveSeed } from './derive-seed.js';
export { stackCells, outputStateOf, type StackedCells, type StackOptions } from './stack-cells.js';
export { withContext } from './with-context.js';
export { maskedAccuracy } from './masked-accuracy.js';
export { createOutputLayer, type OutputLayer } from './output-layer.js';
