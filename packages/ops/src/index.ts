export { clipByGlobalNorm, type ClippedGradients } from './clip-by-global-norm.js';
export { globalNorm } from './global-norm.js';
export { clipGradient, type GradientClip } from './clip-gradient.js';
export { stopGradient, truncateGradient } from './stop-gradient.js';
export { unroll, type UnrollOptions, type Unrolled } from './unroll.js';
export { checkGradients, type GradientCheck, type GradientCheckOptions, type GradientMismatch } from './check-gradients.js';
export { softmaxCrossEntropy, sparseCrossEntropySum, sparseSoftmaxCrossEntropy } from './cross-entropy.js';
export { relu } from './relu.js';
export { nativeBackend, runNativeOp, floatType, type NativeBackend, type NativeAttr } from './native.js';
