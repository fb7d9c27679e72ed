export { BACKEND_NAMES, type BackendName, type BackendRequest } from './candidates.js';
export {
  useBackend,
  probeBackends,
  describeChoice,
  fellBackFromNative,
  NATIVE_FIX,
  type BackendChoice,
  type BackendStatus,
} from './use-backend.js';
export { BackendError } from './errors.js';
export { withoutReRegistrationWarnings } from './candidates.js';
