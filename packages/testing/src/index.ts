// Conformance suites for plugin authors: `import { testCell, testModel, testDataset } from '@nnkit/testing'`, one line
// each in a vitest test file. They check what nnkit's engine, models and recipes rely on, on every backend.
export { testCell, type CellConformanceOptions } from './cell.js';
export { testModel, type ModelConformanceOptions } from './model.js';
export { testDataset, type DatasetConformanceOptions } from './dataset.js';
export { expectNoLeaks, weightValues } from './leaks.js';
export { conformanceKit, type PluginList } from './kit.js';
// The helpers nnkit's own tests use, so that a plugin's tests need one import.
export { describeEachBackend, expectClose, BACKEND_STATUSES, type EachBackendOptions, type Tolerance } from '@nnkit/core/testing';
export { itKeepsPinnedValues, type PinnedCases, type PinnedDecoder, type PinnedModelValues, type PinnedSetup } from './golden.js';
export { expectRunMatchesSteps, type SteppedDecoder } from './teacher-forced-run.js';
export { expectSameAsLayer, type LayerOptions, type LayerParitySizes } from './layer-parity.js';
