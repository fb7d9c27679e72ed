// Test helpers for nnkit and for plugin authors: `import { describeEachBackend } from '@nnkit/core/testing'`.
// They live in @nnkit/backends (a suite per backend), whose own tests use them without depending on core.
export { describeEachBackend, BACKEND_STATUSES, expectClose, type EachBackendOptions, type Tolerance } from '@nnkit/backends/testing';
