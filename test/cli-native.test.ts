import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnkit, REPO_ROOT, tempProject } from './helpers.js';

// `nnkit native` and what `nnkit doctor` says about the native backend and about --out. In an app installed from a
// registry, test/registry.test.ts runs both; here they run from the repository, whose tfjs-node pnpm links.

describe('nnkit native', () => {
  it('--check answers as the tensorflow backend loads: one line and exit 0, or the reason, the fix and exit 1', async () => {
    const backends = JSON.parse((await nnkit(['backends', '--json'])).stdout) as { name: string; state: string }[];
    const ready = backends.find((b) => b.name === 'tensorflow')!.state === 'ready';
    const result = await nnkit(['native', '--check'], REPO_ROOT);
    if (ready) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^nnkit native: tensorflow backend ready: libtensorflow \d+\.\d+\.\d+/);
    } else {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^nnkit native: no tensorflow backend: .*`npx nnkit native` sets the native backend up/);
    }
  });

  it('--gpu in the repository says how to add the CUDA build there instead of running npm', async () => {
    const result = await nnkit(['native', '--gpu'], REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pnpm --filter @nnkit/backends add -O @tensorflow/tfjs-node-gpu@4.22.0');
  });
});

describe('nnkit doctor', () => {
  it('says "tensorflow ready" where the native backend loads, and otherwise lists it as a problem with the fix', async () => {
    const cwd = tempProject();
    const report = JSON.parse((await nnkit(['doctor', '--json'], cwd)).stdout) as {
      backends: { name: string; state: string }[];
      native: { ready: boolean };
      problems: string[];
    };
    const text = (await nnkit(['doctor'], cwd)).stdout;
    if (report.backends.find((b) => b.name === 'tensorflow')!.state === 'ready') {
      expect(report.native).toEqual({ ready: true });
      expect(text).toContain('tensorflow ready');
    } else {
      expect(report.native).toEqual({ ready: false, fix: 'npx nnkit native' });
      expect(report.problems.join('\n')).toMatch(/native tensorflow backend is not ready .*run `npx nnkit native`/);
      expect(text).not.toContain('no problems found');
    }
  });

  // (A read-only folder goes through the same checkOutputFolder; the tests run as root here, who writes anywhere.)
  it('applies the checks of train --out to --out: a file and /proc are problems, a new folder is not', async () => {
    const cwd = tempProject();
    const file = join(cwd, 'a-file');
    writeFileSync(file, '');
    const problems = async (out: string) =>
      (JSON.parse((await nnkit(['doctor', '--json', '--out', out], cwd)).stdout) as { problems: string[] }).problems.join('\n');
    expect(await problems(file)).toContain(`${file} expects a folder, got a file`);
    expect(await problems('/proc/nnkit-out')).toContain(
      'The output folder (--out) /proc/nnkit-out expects a folder on a disk, got a path under /proc',
    );
    expect(await problems(join(cwd, 'fine', 'out'))).not.toMatch(/--out/);
    expect(existsSync(join(cwd, 'fine'))).toBe(false); // doctor creates nothing
  });
});
