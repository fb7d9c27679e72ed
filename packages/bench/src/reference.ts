import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ReferenceRow {
  readonly workload: string;
  readonly unit: string;
  readonly median: number;
  readonly rates: number[];
}

const SCRIPT = fileURLToPath(new URL('../reference/pytorch_reference.py', import.meta.url));
const INSTALL = 'apt-get install python3-torch libopenblas0-pthread';

/** The first python3 that can import torch: the one on PATH, else Debian's (where python3-torch installs). */
function pythonWithTorch(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/**
 * The same workloads in PyTorch on one CPU thread (OpenBLAS limited to one thread too), for the "vs PyTorch"
 * column. Returns undefined, with the reason, where no python3 has torch.
 */
export function pytorchReference(quick: boolean): { rows: ReferenceRow[]; version: string } | { skipped: string } {
  const python = pythonWithTorch();
  if (!python) return { skipped: `no python3 with torch (${INSTALL})` };
  const result = spawnSync(python, [SCRIPT, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) return { skipped: `the PyTorch reference failed: ${result.stderr.trim().split('\n').at(-1)}` };
  const parsed = JSON.parse(result.stdout) as { torch: string; rows: ReferenceRow[] };
  return { rows: parsed.rows, version: parsed.torch };
}
