import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, run } from './helpers.js';

const CHILD = join(REPO_ROOT, 'test', 'fixtures', 'train-child.mjs');
const STEPS = 30;
/** bptt checkpoints once an epoch: 10 windows. */
const BPTT_STEPS_PER_EPOCH = 10;

type Mode = 'supervised' | 'bptt';

/**
 * The training seed and the step to kill at: random, or forced by NNKIT_RESUME_REPLAY="seed,step" to replay a failure
 * (each test prints the values it used).
 */
function chooseRun(mode: Mode): { seed: number; killAt: number } {
  const replay = process.env.NNKIT_RESUME_REPLAY;
  if (replay) {
    const [seed, killAt] = replay.split(',').map(Number);
    if (!Number.isInteger(seed) || !Number.isInteger(killAt) || killAt! < 1 || killAt! >= STEPS) {
      throw new Error(`NNKIT_RESUME_REPLAY expects "seed,step" with integers and 1 ≤ step < ${STEPS}, got '${replay}'.`);
    }
    return { seed: seed!, killAt: killAt! };
  }
  // bptt kills after its first epoch's checkpoint, so that there is something to resume from.
  const first = mode === 'bptt' ? BPTT_STEPS_PER_EPOCH + 1 : 3;
  return {
    seed: 1 + Math.floor(Math.random() * 1_000_000),
    killAt: first + Math.floor(Math.random() * (STEPS - 3 - first)),
  };
}

/** Starts the training child and kills it with SIGKILL once it has printed `step <killAt>`. */
function runAndKill(args: readonly string[], killAt: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let errors = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes(`step ${killAt}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk) => void (errors += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`expected a kill at step ${killAt}, got exit ${code}: ${seen}${errors}`)),
    );
  });
}

interface Final {
  readonly weights: Record<string, number[]>;
  readonly history: unknown[];
  readonly resumedFrom: number | null;
}

function finalOf(dir: string): Final {
  return JSON.parse(readFileSync(join(dir, 'final.json'), 'utf8')) as Final;
}

for (const mode of ['supervised', 'bptt'] as const) {
  it(`${mode}: a run killed with SIGKILL at a random step and resumed ends with the same weights as one never stopped`, async () => {
    const { seed, killAt } = chooseRun(mode);
    const replay = `${mode}: seed ${seed}, killed after step ${killAt}; replay with NNKIT_RESUME_REPLAY=${seed},${killAt}`;
    console.log(`train-resume ${replay}`);
    const args = (dir: string) => [dir, String(STEPS), mode, String(seed)];

    const whole = mkdtempSync(join(tmpdir(), 'nnkit-whole-'));
    const uninterrupted = await run(process.execPath, [CHILD, ...args(whole)], { cwd: REPO_ROOT });
    expect(uninterrupted.code, `${replay}\n${uninterrupted.stderr}`).toBe(0);

    const killed = mkdtempSync(join(tmpdir(), 'nnkit-killed-'));
    await runAndKill(args(killed), killAt);
    const resumed = await run(process.execPath, [CHILD, ...args(killed)], { cwd: REPO_ROOT });
    expect(resumed.code, `${replay}\n${resumed.stderr}`).toBe(0);

    const result = finalOf(killed);
    // "step N" is printed before step N's checkpoint is written: the kill leaves at least the one before it
    // (supervised: a checkpoint every step; bptt: one at every epoch's end).
    const everySteps = mode === 'bptt' ? BPTT_STEPS_PER_EPOCH : 1;
    const leastKept = Math.floor((killAt - 1) / everySteps) * everySteps;
    expect(result.resumedFrom ?? 0, replay).toBeGreaterThanOrEqual(leastKept);
    expect(result.resumedFrom ?? 0, replay).toBeLessThan(STEPS);
    const expected = finalOf(whole);
    expect(Object.keys(result.weights), replay).toEqual(Object.keys(expected.weights));
    expect(result.weights, replay).toEqual(expected.weights);
    expect(result.history, replay).toEqual(expected.history);
  }, 120_000);
}
