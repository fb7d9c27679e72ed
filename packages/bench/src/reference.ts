import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reference, ReferenceRow } from './fastest.js';

const SCRIPT = fileURLToPath(new URL('../reference/pytorch_reference.py', import.meta.url));
/** A venv the bench makes once, with pip's torch (here, the local wheelhouse's torch 2.13.0+cpu). */
const VENV = join(process.env.NNKIT_CACHE ?? join(homedir(), '.cache', 'nnkit'), 'bench-venv');
const VENV_PYTHON = join(VENV, 'bin', 'python');

/** Where `python`'s torch lives (its real path), or undefined where it has none: two pythons with one torch are one build. */
function torchLocation(python: string): string | undefined {
  if (python.includes('/') && !existsSync(python)) return undefined;
  const probe = spawnSync(python, ['-c', 'import os, torch; print(os.path.realpath(torch.__file__))'], {
    encoding: 'utf8',
  });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Makes the bench's venv with pip's torch, once (minutes); says why not where it cannot. */
function makeVenv(log: (line: string) => void): string | undefined {
  log(`making ${VENV} with pip's torch (once; minutes) …`);
  const made = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  const installed =
    made.status === 0 ? spawnSync(join(VENV, 'bin', 'pip'), ['install', '-q', 'torch'], { encoding: 'utf8', timeout: 15 * 60_000 }) : made;
  if (installed.status === 0) return undefined;
  return `pip could not install torch in ${VENV} (${(installed.stderr || installed.error?.message || '').trim().split('\n').at(-1)})`;
}

/**
 * Every python that can import a torch of its own: `NNKIT_TORCH_PYTHON`, the python3 on PATH, Debian's
 * (/usr/bin/python3 with python3-torch), and the bench's own venv with pip's torch, which it makes when it is missing.
 * Pythons that share one torch count once. The bench runs each, so that nnkit is set against the fastest build here.
 */
export function pythonsWithTorch(log: (line: string) => void): { pythons: string[] } | { skipped: string } {
  const venvProblem = existsSync(VENV_PYTHON) ? undefined : makeVenv(log);
  if (venvProblem) log(`no venv PyTorch: ${venvProblem}`);
  const candidates = [process.env.NNKIT_TORCH_PYTHON, 'python3', '/usr/bin/python3', VENV_PYTHON].filter((p): p is string => Boolean(p));
  const seen = new Set<string>();
  const pythons = candidates.filter((python) => {
    const location = torchLocation(python);
    if (location === undefined || seen.has(location)) return false;
    seen.add(location);
    return true;
  });
  if (pythons.length > 0) return { pythons };
  return {
    skipped: `no python3 with torch among ${candidates.join(', ')}${venvProblem ? `, and ${venvProblem}` : ''}. Install python3-torch, or set NNKIT_TORCH_PYTHON.`,
  };
}

export interface ReferenceRun {
  readonly quick: boolean;
  readonly threads: number;
  readonly device: string;
  /** Only the workloads whose names contain one of these comma-separated words, as the bench's `--workloads`. */
  readonly workloads?: string;
}

/**
 * The bench's workloads in PyTorch with `python`, on `threads` CPU threads (OpenBLAS and OpenMP limited to as many):
 * one build's rows for the "vs PyTorch" columns. Returns the reason instead where the script fails.
 */
export function pytorchReference(python: string, { quick, threads, device, workloads }: ReferenceRun): Reference | { skipped: string } {
  const args = [
    SCRIPT,
    '--threads',
    String(threads),
    '--device',
    device,
    ...(quick ? ['--quick'] : []),
    ...(workloads ? ['--workloads', workloads] : []),
  ];
  const result = spawnSync(python, args, {
    encoding: 'utf8',
    env: {
      ...process.env,
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
    },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0)
    return {
      skipped: `the PyTorch reference with ${python} failed: ${(result.stderr || result.error?.message || '').trim().split('\n').at(-1)}`,
    };
  const parsed = JSON.parse(result.stdout) as { torch: string; build: string; threads: number; rows: ReferenceRow[] };
  return { rows: parsed.rows, version: parsed.torch, build: parsed.build, threads: parsed.threads, python };
}
