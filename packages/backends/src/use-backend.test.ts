import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError } from './errors.js';
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

  it('takes an explicit backend that loads', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses an unknown name, listing the valid ones', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrow(/expects one of auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu, got 'tpu'/);
  });

  it('turns a backend that cannot load into a BackendError with the reason, never a crash', async () => {
    const statuses = await probeBackends();
    const broken = statuses.find((s) => s.state !== 'ready');
    if (!broken) return; // every backend loads on this machine: nothing to refuse
    const error = await useBackend(broken.name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toContain(broken.reason!);
    expect((error as Error).message).toContain('--backend auto');
  });

  it('probes every backend and restores the one in use', async () => {
    await useBackend('wasm');
    const statuses = await probeBackends();
    expect(statuses.map((s) => s.name)).toEqual([...BACKEND_NAMES]);
    expect(statuses.find((s) => s.name === 'cpu')!.state).toBe('ready');
    expect(tf.getBackend()).toBe('wasm');
  });
});
