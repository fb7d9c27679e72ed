import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReferenceRow {
  readonly workload: string;
  readonly unit: string;
  readonly median: number;
  readonly rates: number[];
}

const SCRIPT = fileURLToPath(new URL('../reference/pytorch_reference.py', import.meta.url));
/** A venv the bench makes once, with pip's torch (here, the local wheelhouse's torch 2.13.0+cpu). */
const VENV = join(process.env.NNKIT_CACHE ?? join(homedir(), '.cache', 'nnkit'), 'bench-venv');
const VENV_PYTHON = join(VENV, 'bin', 'python');

const hasTorch = (python: string) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/**
 * The first python that can import torch: `NNKIT_TORCH_PYTHON`, the one on PATH, Debian's (python3-torch), or the
 * bench's own venv, which it makes with `pip install torch` when none has it (once; minutes).
 */
export function pythonWithTorch(log: (line: string) => void): string | { skipped: string } {
  const candidates = [process.env.NNKIT_TORCH_PYTHON, 'python3', '/usr/bin/python3', VENV_PYTHON].filter((p): p is string => Boolean(p));
  const found = candidates.find((python) => (python.includes('/') && !existsSync(python) ? false : hasTorch(python)));
  if (found) return found;
  log(`no python3 with torch: making ${VENV} with pip's torch (once) …`);
  const made = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  const installed = made.status === 0 ? spawnSync(join(VENV, 'bin', 'pip'), ['install', '-q', 'torch'], { encoding: 'utf8', timeout: 15 * 60_000 }) : made;
  if (installed.status === 0 && hasTorch(VENV_PYTHON)) return VENV_PYTHON;
  return { skipped: `no python3 with torch, and pip could not install it (${(installed.stderr || installed.error?.message || '').trim().split('\n').at(-1)}). Install python3-torch, or set NNKIT_TORCH_PYTHON.` };
}

/**
 * The same workloads in PyTorch on `threads` CPU threads (OpenBLAS and OpenMP limited to as many), for the
 * "vs PyTorch" columns. Returns the reason instead where no python has torch or the script fails.
 */
export function pytorchReference(python: string, quick: boolean, threads: number, device = 'cpu'): { rows: ReferenceRow[]; version: string; threads: number } | { skipped: string } {
  const result = spawnSync(python, [SCRIPT, '--threads', String(threads), '--device', device, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) return { skipped: `the PyTorch reference failed: ${result.stderr.trim().split('\n').at(-1)}` };
  const parsed = JSON.parse(result.stdout) as { torch: string; threads: number; rows: ReferenceRow[] };
  return { rows: parsed.rows, version: parsed.torch, threads: parsed.threads };
}
