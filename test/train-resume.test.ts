import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, run } from './helpers.js';

const CHILD = join(REPO_ROOT, 'test', 'fixtures', 'train-child.mjs');
const STEPS = 30;

/** Starts the training child and kills it with SIGKILL once it has printed `step <killAt>`. */
function runAndKill(dir: string, killAt: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(STEPS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes(`step ${killAt}\n`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`expected a kill at step ${killAt}, got exit ${code}: ${seen}`))));
  });
}

function finalWeights(dir: string): { weights: number[][]; resumedFrom: number | null } {
  return JSON.parse(readFileSync(join(dir, 'final.json'), 'utf8'));
}

it('a run killed with SIGKILL at a random step and resumed ends with the same weights as one never stopped', async () => {
  const whole = mkdtempSync(join(tmpdir(), 'nnkit-whole-'));
  const uninterrupted = await run(process.execPath, [CHILD, whole, String(STEPS)], { cwd: REPO_ROOT });
  expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

  const killed = mkdtempSync(join(tmpdir(), 'nnkit-killed-'));
  const killAt = 3 + Math.floor(Math.random() * (STEPS - 6));
  await runAndKill(killed, killAt);
  const resumed = await run(process.execPath, [CHILD, killed, String(STEPS)], { cwd: REPO_ROOT });
  expect(resumed.code, resumed.stderr).toBe(0);

  const result = finalWeights(killed);
  // "step N" is printed before step N's checkpoint is written: the kill leaves at least step N − 1's.
  expect(result.resumedFrom, `killed after step ${killAt}`).toBeGreaterThanOrEqual(killAt - 1);
  expect(result.resumedFrom).toBeLessThan(STEPS);
  expect(result.weights).toEqual(finalWeights(whole).weights);
}, 120_000);
