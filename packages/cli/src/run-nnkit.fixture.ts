import { tmpdir } from 'node:os';
import { main } from './main.js';

/** Runs the nnkit command line in-process, as the tests of a command do: what it printed, and its exit code. */
export async function runNnkit(args: readonly string[], cwd = tmpdir()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}
