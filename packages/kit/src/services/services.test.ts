import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import { useBackend } from '@nnkit/backends';
import { definePlugin, TOKENS, type ProgressReporter, type RunObserver } from '@nnkit/core';
import { createKit } from '../create-kit.js';
import { memoryStorage } from './memory-storage.js';
import { jsonLinesObserver } from './observers.js';

const quiet: ProgressReporter = { log: () => {}, start: () => ({ update() {}, end() {} }) };

/** An observer that writes down every event it hears, one line each. */
function recorder(name: string, heard: string[]): RunObserver {
  return {
    name,
    runStart: (run) => heard.push(`${name} start ${run.label} ${run.done}/${run.total} ${run.unit}`),
    step: ({ step, done, metrics }) => heard.push(`${name} step ${step} ${done} loss ${metrics.loss}`),
    epochEnd: ({ epoch, step, metrics }) => heard.push(`${name} epoch ${epoch} at ${step} val_loss ${metrics.val_loss}`),
    runEnd: ({ seconds, step }) => heard.push(`${name} end after ${seconds}s at ${step}`),
    log: (line) => heard.push(`${name} log ${line}`),
  };
}

/** What a trainer does with `kit.progress`: one run of two steps and an epoch. */
function oneRun(progress: ProgressReporter, clock: { t: number }) {
  const task = progress.start('toy/mlp', { total: 64, unit: 'ex', done: 0 });
  clock.t += 500;
  task.update(32, { loss: 0.5 }, { step: 1 });
  clock.t += 500;
  task.update(64, { loss: 0.25 }, { step: 2 });
  task.epochEnd?.({ epoch: 1, step: 2, metrics: { loss: 0.375, val_loss: 0.4 } });
  progress.log('epoch 1: loss 0.3750');
  task.end();
}

describe('run observers', () => {
  it('every observer hears every run: the display, those plugins bind, and those createKit adds, timed by the kit clock', async () => {
    const heard: string[] = [];
    const clock = { t: 0 };
    const plugin = definePlugin({
      meta: { name: 'observing', version: '1.0.0', namespace: 'observing', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.RunObserver).toConstantValue(recorder('plugin', heard));
      }),
    });
    const lines: string[] = [];
    const kit = await createKit({
      plugins: [plugin],
      backend: 'cpu',
      observers: [recorder('app', heard), jsonLinesObserver((line) => lines.push(line))],
      progress: {
        log: (line) => heard.push(`display log ${line}`),
        start: (label) => ({
          update: (done) => heard.push(`display ${label} ${done}`),
          end: () => heard.push('display end'),
        }),
      },
      clock: { now: () => clock.t },
    });
    oneRun(kit.progress, clock);
    expect(heard).toEqual([
      'plugin start toy/mlp 0/64 ex',
      'app start toy/mlp 0/64 ex',
      'display toy/mlp 32',
      'plugin step 1 32 loss 0.5',
      'app step 1 32 loss 0.5',
      'display toy/mlp 64',
      'plugin step 2 64 loss 0.25',
      'app step 2 64 loss 0.25',
      'plugin epoch 1 at 2 val_loss 0.4',
      'app epoch 1 at 2 val_loss 0.4',
      'display log epoch 1: loss 0.3750',
      'plugin log epoch 1: loss 0.3750',
      'app log epoch 1: loss 0.3750',
      'display end',
      'plugin end after 1s at 2',
      'app end after 1s at 2',
    ]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { event: 'runStart', label: 'toy/mlp', total: 64, unit: 'ex', done: 0 },
      { event: 'step', label: 'toy/mlp', step: 1, done: 32, loss: 0.5 },
      { event: 'step', label: 'toy/mlp', step: 2, done: 64, loss: 0.25 },
      { event: 'epochEnd', label: 'toy/mlp', epoch: 1, step: 2, loss: 0.375, val_loss: 0.4 },
      { event: 'log', line: 'epoch 1: loss 0.3750' },
      { event: 'runEnd', label: 'toy/mlp', seconds: 1, step: 2 },
    ]);
  });

  it('drops an observer that throws for the rest of the run, says so once, and the others go on', async () => {
    const heard: string[] = [];
    const broken: RunObserver = {
      name: 'broken',
      step: () => {
        throw new Error('disk full');
      },
    };
    const kit = await createKit({ backend: 'cpu', progress: quiet, observers: [broken, recorder('app', heard)] });
    oneRun(kit.progress, { t: 0 });
    expect(heard.filter((line) => line.includes('broken'))).toEqual([
      'app log Run observer broken failed in step(): disk full. It hears nothing more; training goes on.',
    ]);
    expect(heard.filter((line) => line.startsWith('app step'))).toHaveLength(2);
  });
});

describe('storage, clock and backend as services', () => {
  it('storage: the file system by default, a plugin module replaces it, createKit replaces both', async () => {
    const fromPlugin = memoryStorage();
    const explicit = memoryStorage();
    const plugin = definePlugin({
      meta: { name: 'memory-storage', version: '1.0.0', namespace: 'memory', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.Storage).toConstantValue(fromPlugin);
      }),
    });
    expect((await createKit({ backend: 'cpu', progress: quiet })).storage).toMatchObject({
      name: 'the file system',
      local: true,
    });
    expect((await createKit({ plugins: [plugin], backend: 'cpu', progress: quiet })).storage).toBe(fromPlugin);
    const kit = await createKit({ plugins: [plugin], backend: 'cpu', progress: quiet, storage: explicit });
    expect(kit.storage).toBe(explicit);
    expect(kit.get(TOKENS.Storage)).toBe(explicit);
  });

  it('memoryStorage keeps files by path, lists a folder, and refuses a read of what is not there', () => {
    const storage = memoryStorage();
    storage.write('/runs/a/model.json', [new TextEncoder().encode('{'), new TextEncoder().encode('}')]);
    storage.write('/runs/a/checkpoints/step-000000001.ckpt', [new Uint8Array([1, 2])]);
    expect(new TextDecoder().decode(storage.read('/runs/a/./model.json'))).toBe('{}');
    expect(storage.list('/runs/a')).toEqual(['model.json']);
    expect(storage.list('/runs/a/checkpoints/')).toEqual(['step-000000001.ckpt']);
    storage.remove('/runs/a/model.json');
    expect(storage.exists('/runs/a/model.json')).toBe(false);
    expect(() => storage.read('/runs/a/model.json')).toThrow(
      'Reading /runs/a/model.json from memory expects a file written there, got none.',
    );
  });

  it('clock: the kit times runs with the one bound, and the default display uses it too', async () => {
    const clock = { now: () => 1234 };
    const plugin = definePlugin({
      meta: { name: 'frozen-clock', version: '1.0.0', namespace: 'frozen', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.Clock).toConstantValue(clock);
      }),
    });
    const kit = await createKit({ plugins: [plugin], backend: 'cpu' });
    expect(kit.clock).toBe(clock);
    expect(kit.get(TOKENS.Clock).now()).toBe(1234);
  });

  it('backend: a plugin may bind the request and the resolver; createKit (or NNKIT_BACKEND) still decides the request', async () => {
    const asked: string[] = [];
    const plugin = definePlugin({
      meta: { name: 'backend-choice', version: '1.0.0', namespace: 'choice', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.BackendRequest).toConstantValue('wasm');
        bind(TOKENS.BackendResolver).toConstantValue(async (request) => {
          asked.push(request);
          return useBackend('cpu');
        });
      }),
    });
    const saved = process.env.NNKIT_BACKEND;
    delete process.env.NNKIT_BACKEND;
    try {
      const kit = await createKit({ plugins: [plugin], progress: quiet });
      expect(kit.backend.name).toBe('cpu');
      await createKit({ plugins: [plugin], progress: quiet, backend: 'cpu' });
      expect(asked).toEqual(['wasm', 'cpu']);
    } finally {
      if (saved !== undefined) process.env.NNKIT_BACKEND = saved;
    }
  });
});
