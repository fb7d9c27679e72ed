// Test helpers for nnkit and for plugin authors, re-exported by `@nnkit/core/testing` (where plugins import them).
export { describeEachBackend, BACKEND_STATUSES, type EachBackendOptions } from './each-backend.js';
export { expectClose, type Tolerance } from './close.js';
