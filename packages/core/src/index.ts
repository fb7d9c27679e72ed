export { ContainerModule } from 'inversify';
export * from './errors.js';
export * from './config-schema.js';
export type * from './contributions.js';
export type * from './training-contract.js';
export { PAD_ID, START_ID, END_ID, UNK_ID, RESERVED_TOKENS, SEQUENCE_ENDS } from './reserved-ids.js';
export type * from './task-contract.js';
export * from './plugin.js';
export * from './registry.js';
export type * from './registry-types.js';
export * from './plugin-loading.js';
export { validatePlugin, checkDependencies, pluginLoadsVersion } from './plugin-validation.js';
export * from './kit.js';
export { TOKENS, type BackendResolver } from './tokens.js';
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
export * from './services/run-observer.js';
export * from './services/clock.js';
export * from './services/storage.js';
export { fileSystemStorage, writeFileAtomic, storageError, onDisk } from './services/file-storage.js';
export { defaultServices, DEFAULT_SEED } from './services/defaults.js';
