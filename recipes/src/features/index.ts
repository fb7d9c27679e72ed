// Tools for looking inside a CNN, over any image encoder (nnkit's `cnn-features/conv3`, a trained model's
// `encoder('conv2')`, a third party's): used by the feature-visualization recipe and `nnkit visualize`.
export {
  cropWindow,
  encodeMap,
  mapShape,
  pasteWindow,
  statedField,
  unitActivations,
  unitGradients,
  unitMask,
  type ReceptiveField,
  type UnitAt,
} from './maps.js';
export { gradientSupport, measureField, relevantAreas, type MeasuredField, type Support } from './measure.js';
export { cropResponses, strongestResponses, topPatches, type Patch, type Response, type TopPatchOptions } from './top-patches.js';
export { maximizeActivation, type MaximizeOptions, type Maximized } from './activation-maximization.js';
export { linearProbe, probeFeatures, type ProbeOptions } from './linear-probe.js';
export { fieldLine, filterFigure, maximizedFigure, patchFigure } from './figures.js';
export { drawStudy, firstKernel, studyLayer, type LayerStudy, type StudySettings } from './study.js';
export { definedSettings, firstExamples } from './examples.js';
