import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailable, importOptional } from '../candidates.js';
import { chunkedAddN } from './chunked-add-n.js';

const INSTALL = 'pnpm add webgpu @tensorflow/tfjs-backend-webgpu';

let chunked = false;

interface Adapter {
  readonly info: { description?: string; device?: string; isFallbackAdapter?: boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor: unknown): Promise<unknown>;
}
interface Dawn {
  create(flags: string[]): { requestAdapter(options?: unknown): Promise<Adapter | null> };
  globals: Record<string, unknown>;
}

const LIBRARY_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/usr/local/lib',
];

function vulkanLoaderPresent(): boolean {
  const extra = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [...extra, ...LIBRARY_DIRS].some((dir) => existsSync(join(dir, 'libvulkan.so.1')));
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

function describe(adapter: Adapter): string {
  return [adapter.info.device, adapter.info.description].filter(Boolean).join(', ') || 'unnamed adapter';
}

/**
 * Finds a WebGPU adapter through Dawn (the npm package `webgpu`). `auto` wants hardware: Dawn's default
 * (Vulkan on Linux) adapter, not a software rasterizer. Asked for by name, nnkit also takes Mesa's OpenGL ES
 * in compatibility mode, which runs anywhere Mesa is installed (slowly: it is a CPU rasterizer), as tests do.
 */
async function findAdapter(dawn: Dawn, requireHardware: boolean): Promise<{ gpu: unknown; adapter: Adapter }> {
  const gpu = dawn.create([]);
  const hardware = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (hardware && !hardware.info.isFallbackAdapter && !SOFTWARE.test(describe(hardware))) return { gpu, adapter: hardware };
  if (requireHardware) {
    throw new BackendUnavailable(
      'no-adapter',
      hardware ? `only a software WebGPU adapter (${describe(hardware)})` : 'no hardware WebGPU adapter (Vulkan) was found',
    );
  }
  process.env.EGL_PLATFORM ??= 'surfaceless'; // no display server: Mesa renders off-screen
  const gles = dawn.create(['backend=opengles']);
  const software = await gles.requestAdapter({ featureLevel: 'compatibility' });
  if (software) return { gpu: gles, adapter: software };
  throw new BackendUnavailable(
    'no-adapter',
    'no WebGPU adapter: neither Vulkan nor Mesa OpenGL ES answered (apt-get install libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri)',
  );
}

/**
 * Registers tfjs's WebGPU backend on a Dawn adapter. tfjs's own registration asks `navigator.gpu` for a full
 * (not compatibility) adapter, which Node lacks and Mesa's GLES cannot give, so nnkit registers the backend
 * itself with the adapter it found.
 */
export async function prepareWebgpu({ requireHardware }: { requireHardware: boolean }): Promise<string> {
  if (requireHardware && process.platform === 'linux' && !vulkanLoaderPresent()) {
    // Checked before loading Dawn, which would print its own warnings about the missing loader on every run.
    throw new BackendUnavailable('no-adapter', 'no Vulkan loader (libvulkan.so.1) is installed, so no hardware WebGPU adapter');
  }
  const dawn = (await importOptional('webgpu', INSTALL)) as Dawn;
  // Dawn's constants (GPUBufferUsage, GPUMapMode, …) are globals in a browser; tfjs's backend reads them so.
  Object.assign(globalThis, dawn.globals);
  const { gpu, adapter } = await findAdapter(dawn, requireHardware);
  // tfjs's backend checks for `navigator.gpu`, which Node does not have.
  const global = globalThis as { navigator?: Record<string, unknown> };
  global.navigator ??= {};
  Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true });
  const { WebGPUBackend } = (await importOptional('@tensorflow/tfjs-backend-webgpu', INSTALL)) as {
    WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend;
  };
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  const limits = adapter.limits;
  tf.registerBackend(
    'webgpu',
    async () => {
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxBufferSize: limits.maxBufferSize,
          maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
          maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        },
      });
      return new WebGPUBackend(device, adapter.info);
    },
    0, // never chosen by tfjs on its own: nnkit picks backends explicitly
  );
  const addN = tf.getKernel('AddN', 'webgpu');
  if (addN && !chunked) {
    const maxInputs = () =>
      ((tf.findBackend('webgpu') as unknown as { device?: { limits: { maxStorageBuffersPerShaderStage: number } } })?.device?.limits
        .maxStorageBuffersPerShaderStage ?? 8) - 1;
    tf.unregisterKernel('AddN', 'webgpu');
    tf.registerKernel({
      ...addN,
      kernelFunc: chunkedAddN(addN.kernelFunc as never, maxInputs) as unknown as tf.KernelFunc,
    });
    chunked = true;
  }
  const software = adapter.info.isFallbackAdapter || SOFTWARE.test(describe(adapter));
  return `${software ? 'software' : 'hardware'} adapter: ${describe(adapter)}`;
}
