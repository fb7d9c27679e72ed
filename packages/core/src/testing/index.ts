// Test helpers for nnkit and for plugin authors: `import { describeEachBackend } from '@nnkit/core/testing'`.
export { describeEachBackend, BACKEND_STATUSES, type EachBackendOptions } from './each-backend.js';
export { expectClose, type Tolerance } from './close.js';
