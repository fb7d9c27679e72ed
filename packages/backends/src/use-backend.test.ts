import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { BackendError } from './errors.js';
import { BACKEND_NAMES } from './candidates.js';
import { describeChoice, probeBackends, useBackend } from './use-backend.js';

describe('useBackend', () => {
  it('auto takes the first backend that loads and says why it passed over the ones before it', async () => {
    const choice = await useBackend('auto');
    expect(tf.getBackend()).toBe(choice.name === 'tensorflow-gpu' ? 'tensorflow' : choice.name);
    const order = BACKEND_NAMES.indexOf(choice.name);
    expect(choice.passedOver.map((s) => s.name)).toEqual(BACKEND_NAMES.slice(0, order));
    for (const skipped of choice.passedOver) expect(skipped.reason).toBeTruthy();
    expect(describeChoice(choice)).toContain(`backend: ${choice.name}`);
  });

  it('says on its first line when auto fell back from the native backend, with the fix, and only then', () => {
    const passedOver = [
      { name: 'tensorflow-gpu', state: 'no-adapter', reason: 'no NVIDIA driver' },
      { name: 'tensorflow', state: 'not-installed', reason: '@tensorflow/tfjs-node is not installed' },
      { name: 'webgpu', state: 'no-adapter', reason: 'no hardware adapter' },
    ] as const;
    const [first, ...rest] = describeChoice({ name: 'wasm', requested: 'auto', passedOver }).split('\n');
    expect(first).toBe(
      'backend: wasm (auto) — the native tensorflow backend is not set up here; run `npx nnkit native` (several times faster)',
    );
    expect(rest).toEqual(passedOver.map((s) => `  passed over ${s.name}: ${s.reason}`));
    expect(describeChoice({ name: 'wasm', requested: 'wasm', passedOver: [] })).toBe('backend: wasm');
    expect(describeChoice({ name: 'tensorflow', requested: 'auto', passedOver: passedOver.slice(0, 1) }).split('\n')[0]).toBe(
      'backend: tensorflow (auto)',
    );
  });

  it('takes an explicit backend that loads', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses an unknown name, listing the valid ones', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrow(
      /expects one of auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu, got 'tpu'/,
    );
  });

  it('turns a backend that cannot load into a BackendError with the reason, never a crash', async () => {
    // Both native addons stubbed as installed but broken (as when libtensorflow's download failed), in a fresh
    // copy of the module, whose per-process cache of prepared backends has not seen them yet.
    const reason = 'libtensorflow.so.2: cannot open shared object file: No such file or directory';
    vi.doMock('./candidates.js', async (importOriginal) => {
      const actual = await importOriginal<typeof import('./candidates.js')>();
      return {
        ...actual,
        importOptional: async (specifier: string, install: string) => {
          if (specifier.startsWith('@tensorflow/tfjs-node')) {
            throw new actual.BackendUnavailable('failed', `${specifier} is installed but failed to load (${install}): ${reason}`);
          }
          return actual.importOptional(specifier, install);
        },
      };
    });
    vi.resetModules();
    try {
      const fresh = await import('./use-backend.js');
      const { BackendError: FreshBackendError } = await import('./errors.js'); // the class the fresh module throws
      await fresh.useBackend('cpu');
      const error = await fresh.useBackend('tensorflow').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FreshBackendError);
      expect((error as BackendError).code).toBe('NNKIT_BACKEND');
      expect((error as Error).message).toMatch(
        /^Backend 'tensorflow' expects to load here, got failed: @tensorflow\/tfjs-node is installed but failed to load/,
      );
      expect((error as Error).message).toContain(reason);
      expect((error as Error).message).toContain('--backend auto');
      expect(tf.getBackend()).toBe('cpu'); // the backend in use is left as it was

      // auto passes over it, saying why, and takes the next backend that loads.
      const choice = await fresh.useBackend('auto');
      expect(['webgpu', 'wasm', 'cpu']).toContain(choice.name);
      const passed = choice.passedOver.find((s) => s.name === 'tensorflow');
      expect(passed).toMatchObject({ state: 'failed' });
      expect(passed!.reason).toContain(reason);
      expect(fresh.describeChoice(choice)).toContain(`passed over tensorflow: @tensorflow/tfjs-node is installed but failed to load`);
      const statuses = await fresh.probeBackends();
      expect(statuses.find((s) => s.name === 'tensorflow')).toMatchObject({ state: 'failed' });
    } finally {
      vi.doUnmock('./candidates.js');
      vi.resetModules();
    }
  });

  it('probes every backend and restores the one in use', async () => {
    await useBackend('wasm');
    const statuses = await probeBackends();
    expect(statuses.map((s) => s.name)).toEqual([...BACKEND_NAMES]);
    expect(statuses.find((s) => s.name === 'cpu')!.state).toBe('ready');
    expect(tf.getBackend()).toBe('wasm');
  });
});
