import { BackendUnavailable } from '../candidates.js';

/** WebGPU in Node is opt-in (issue: backends); until its packages are installed it reports itself as absent. */
export async function prepareWebgpu(_options: { requireHardware: boolean }): Promise<void> {
  throw new BackendUnavailable('not-installed', 'webgpu support is not installed (pnpm add webgpu @tensorflow/tfjs-backend-webgpu)');
}
