// nnkit's runtime: createKit loads the plugins (given, from nnkit.config.*, discovered), fills the registry and
// binds the services; the default services are here too. The contracts they implement are @nnkit/core's.
export { createKit } from './create-kit.js';
export {
  CONFIG_FILE_NAMES,
  discoverPluginPackages,
  findConfigFile,
  importPlugin,
  loadPluginSpec,
  readConfigFile,
  resolveTfjsCore,
  tfjsCopyWarning,
  type DiscoveredPackage,
  type NnkitConfigFile,
  type PluginSpec,
  type TfjsCoreCopy,
} from './plugin-loading.js';
export { defaultServices, DEFAULT_SEED } from './services/defaults.js';
export { fileSystemStorage, writeFileAtomic, storageError, onDisk } from './services/file-storage.js';
export { memoryStorage } from './services/memory-storage.js';
export { notifyObservers, progressObserver, jsonLinesObserver } from './services/observers.js';
export { systemClock } from './services/system-clock.js';
export { terminalProgress, silentProgress, formatDuration, type StreamLike } from './services/terminal-progress.js';
