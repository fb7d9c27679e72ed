// The conformance suites run on deliberately broken contributions. Every test here that checks the fault must FAIL:
// broken-suites.test.ts runs this file in a child vitest and reads which tests failed, and with what message. It is
// not a test file of its own (the workspace's vitest does not collect *.fixture.ts).
import { BROKEN_NAMESPACE, DATASET_FAULTS, MODEL_FAULTS, brokenPlugin } from './broken-plugin.fixture.js';
import { testCell, testDataset, testModel } from './index.js';

const plugins = [brokenPlugin()];
const backends = ['cpu'] as const;

for (const fault of MODEL_FAULTS) testCell(`${BROKEN_NAMESPACE}/cell-that-${fault}`, { plugins, backends });
for (const fault of MODEL_FAULTS) testModel(`${BROKEN_NAMESPACE}/model-that-${fault}`, { plugins, backends });
for (const fault of DATASET_FAULTS) testDataset(`${BROKEN_NAMESPACE}/dataset-that-${fault}`, { plugins });
