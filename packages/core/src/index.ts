export { ContainerModule } from 'inversify';
export * from './errors.js';
export * from './config-schema.js';
export type * from './contributions.js';
export type * from './training-contract.js';
export type * from './task-contract.js';
export * from './plugin.js';
export * from './registry.js';
export type * from './registry-types.js';
export * from './plugin-loading.js';
export { validatePlugin, checkDependencies, pluginLoadsVersion } from './plugin-validation.js';
export * from './kit.js';
export { TOKENS } from './tokens.js';
export { CORE_VERSION } from './version.js';
export { closestNames, editDistance } from './suggest.js';
export { parseJsonText, jsonSyntaxReason, stripBom, lineAndColumn, JsonTextError } from './json-text.js';
export {
  BACKEND_NAMES,
  useBackend,
  probeBackends,
  describeChoice,
  type BackendName,
  type BackendRequest,
  type BackendChoice,
  type BackendStatus,
} from '@nnkit/backends';
export * from './services/progress.js';
export * from './services/random.js';
export * from './services/dataset-cache.js';
export { trainableVariable } from './variables.js';
export { glorot, embeddingTable, zerosVariable, dropout, dense, timeSteps } from './layers.js';
export { zeroState, prefixWeights, unstackSteps } from './cells.js';
export { tidy, disposeAll } from './tidy.js';
export { requireTensors } from './batch.js';
export * from './decoding/index.js';
