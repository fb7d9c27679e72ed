import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

async function nnkit(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

// A plugin (from the project's config file) with a recipe that reports a number and checks nothing: a smoke run.
const CONFIG = `export default {
  discover: false,
  plugins: [{
    meta: { name: 'mine', version: '1.0.0', namespace: 'mine', nnkit: '^2.0.0' },
    recipes: [{
      name: 'smoke', description: 'reports, checks nothing', reproduces: 'Captions are exact.',
      async run() { return { rows: [{ quantity: 'exact match', target: '≥ 90%', measured: '0.00%' }], figures: [], details: { commands: ['nnkit caption nnkit-out/mine-smoke/model scene.png'] } }; },
    }],
  }],
};
`;

describe('nnkit recipe', () => {
  it('calls a run that checked nothing a smoke run, in its last line and in --json (reproduced: false, a reason), and prints the commands', async () => {
    const project = mkdtempSync(join(tmpdir(), 'nnkit-recipe-smoke-'));
    writeFileSync(join(project, 'nnkit.config.mjs'), CONFIG);
    const out = join(project, 'out');
    const text = await nnkit(['recipe', 'mine/smoke', '--backend', 'cpu', '--out', out], project);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/reproduced/);
    expect(text.stdout.trim().split('\n').at(-1)).toMatch(/^smoke run: nothing checked \(\d+\.\d s on cpu\)$/);
    expect(text.stdout).toContain('try what it trained:\n  nnkit caption nnkit-out/mine-smoke/model scene.png');
    // A second run into the same folder is refused, keeping the first's files, until --overwrite replaces them.
    const again = await nnkit(['recipe', 'mine/smoke', '--backend', 'cpu', '--out', out], project);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `nnkit: nnkit recipe expects ${join(out, 'mine-smoke')} to be new or empty, got an earlier run's files (report.html, result.json). Pass --overwrite`,
    );
    expect(existsSync(join(out, 'mine-smoke', 'result.json'))).toBe(true);
    const json = JSON.parse(
      (await nnkit(['recipe', 'mine/smoke', '--backend', 'cpu', '--json', '--overwrite', '--out', out], project)).stdout,
    );
    expect(json).toMatchObject({ reproduced: false, reason: expect.stringContaining('smoke run: nothing checked') });
    const record = JSON.parse(readFileSync(join(out, 'mine-smoke', 'result.json'), 'utf8'));
    expect(record).toMatchObject({ reproduced: false, reason: json.reason });
  }, 60_000);
});
