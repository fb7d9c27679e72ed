import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BACKEND_STATUSES } from '../testing/each-backend.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/install-native.mjs', import.meta.url));

function installNative(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

describe('scripts/install-native.mjs (run by the root postinstall)', () => {
  it('--check answers as the tensorflow backend loads here: one line, exit status 1 when it does not', () => {
    const tensorflow = BACKEND_STATUSES.find((s) => s.name === 'tensorflow')!;
    const result = installNative(['--check']);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    if (tensorflow.state === 'ready') {
      expect(result.status).toBe(0);
      expect(lines[0]).toMatch(/^nnkit native: tensorflow backend ready: libtensorflow \d+\.\d+\.\d+ \(/);
    } else {
      expect(result.status).toBe(1);
      expect(lines[0]).toMatch(/^nnkit native: no tensorflow backend: .*; nnkit will use wasm/);
    }
  });

  it('does nothing with NNKIT_NATIVE=0, and says so in one line without failing the install', () => {
    const result = installNative([], { NNKIT_NATIVE: '0' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'nnkit native: skipped (NNKIT_NATIVE=0); nnkit will use wasm; `npx nnkit native` sets the native backend up (README, "Backends")\n',
    );
  });
});
