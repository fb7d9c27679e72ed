import { describe, expect, it } from 'vitest';
import { runNnkit } from '../run-nnkit.fixture.js';

const nnkit = (args: string[]) => runNnkit([...args, '--no-discover', '--backend', 'cpu']);

describe('nnkit info on a dataset or an encoder', () => {
  it('lists the options its schema declares, with defaults, as a model lists its config', async () => {
    const mnist = await nnkit(['info', 'datasets/mnist', '--json']);
    expect(mnist.code, mnist.stderr).toBe(0);
    const { options } = JSON.parse(mnist.stdout) as { options: { key: string; default?: unknown }[] };
    expect(options.map((o) => o.key)).toEqual(['trainLimit', 'validation', 'testLimit', 'dir']);
    expect(options.find((o) => o.key === 'validation')?.default).toBe(5_000);
    const conv = await nnkit(['info', 'cnn-features/conv2']);
    expect(conv.code, conv.stderr).toBe(0);
    expect(conv.stdout).toMatch(/^options:$/m);
    expect(conv.stdout).toMatch(/^ {2}kernelSize +integer ≥ 1 and ≤ 9 +3 /m);
    expect(conv.stdout).toMatch(/^ {2}height +integer ≥ 1 and ≤ 4096 +\(optional\) /m);
  });
});
