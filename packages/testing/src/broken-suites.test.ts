// The conformance suites must fail on what they exist to catch. broken-suites.fixture.ts runs testCell, testModel and
// testDataset on deliberately broken contributions (broken-plugin.fixture.ts); this file runs it in a child vitest,
// as a plugin author's test run would, and checks that the test meant for each fault failed with a message naming it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface TestResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

/** Runs the fixture in a child vitest with the JSON reporter; resolves to each test's name, status and failure. */
async function runBrokenSuites(): Promise<{ code: number | null; tests: TestResult[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-broken-suites-'));
  const config = join(dir, 'vitest.config.mjs');
  const report = join(dir, 'report.json');
  const test = {
    root: PACKAGE_ROOT,
    include: ['src/broken-suites.fixture.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  };
  writeFileSync(config, `export default ${JSON.stringify({ test })};\n`);
  const vitest = join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`], {
      cwd: PACKAGE_ROOT,
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: TestResult[] }[] };
  return { code, tests: json.testResults.flatMap((file) => file.assertionResults) };
}

/** Each fault, the test of the suite meant to catch it (by its title), and what its failure must say. */
const EXPECTED: readonly (readonly [contribution: string, test: RegExp, message: RegExp])[] = [
  [
    'cell broken/cell-that-leaks',
    /neither disposes its inputs nor leaves tensors behind/,
    /a step inside tf\.tidy expects to leave tf\.memory\(\)\.numTensors at \d+, left \d+ \(1 tensors not disposed\)/,
  ],
  [
    'cell broken/cell-that-wrong-gradient',
    /has the gradient autodiff gives, by finite differences/,
    /the gradient autodiff gives differs from finite differences for ∂\/∂\(input, state\)/,
  ],
  [
    'cell broken/cell-that-disposes-input',
    /neither disposes its inputs nor leaves tensors behind/,
    /a step disposed its input or the state it was given/,
  ],
  [
    'model broken/model-that-leaks',
    /trains on its task's batches .* tf\.memory\(\) ends where it began/,
    /training broken\/model-that-leaks expects to leave tf\.memory\(\)\.numTensors at \d+, left \d+ \(\d+ tensors not disposed\)/,
  ],
  [
    'model broken/model-that-wrong-gradient',
    /has the gradient finite differences give/,
    /the gradient autodiff gives differs from finite differences for these weights/,
  ],
  [
    'model broken/model-that-disposes-input',
    /leaves the batch it is given/,
    /disposed the batch's inputs: a model must leave the tensors it is given to their owner/,
  ],
  [
    'dataset broken/dataset-that-leaks',
    /frees every tensor it made when disposed/,
    /loading and disposing broken\/dataset-that-leaks expects to leave tf\.memory\(\)\.numTensors at \d+, left \d+ \(1 tensors not disposed\)/,
  ],
  [
    'dataset broken/dataset-that-shares-tensors',
    /gives each load its own tensors/,
    /disposing one load of 'broken\/dataset-that-shares-tensors' disposed 2 tensor\(s\) of another load/,
  ],
  [
    'dataset broken/dataset-that-unseeded',
    /loads the same data from the same options/,
    /two loads of 'broken\/dataset-that-unseeded' with the same options gave different data/,
  ],
];

describe('the conformance suites on broken contributions', () => {
  let run: Awaited<ReturnType<typeof runBrokenSuites>>;
  beforeAll(async () => {
    run = await runBrokenSuites();
  }, 180_000);

  it('fail the run', () => {
    expect(run.code, 'the child vitest’s exit code').toBe(1);
  });

  it.each(EXPECTED)('%s: the test %s fails, saying %s', (contribution, test, message) => {
    const matching = run.tests.filter((t) => t.fullName.startsWith(`${contribution}: nnkit conformance`) && test.test(t.fullName));
    expect(matching.length, `tests of ${contribution} titled ${test}`).toBeGreaterThan(0);
    for (const result of matching) {
      expect(result.status, result.fullName).toBe('failed');
      expect(result.failureMessages.join('\n')).toMatch(message);
    }
  });

  it('pass what a fault does not break: each broken contribution fails only some of its tests', () => {
    // A suite that failed everything (a broken setup) would catch no fault in particular.
    for (const [contribution] of EXPECTED) {
      const own = run.tests.filter((t) => t.fullName.startsWith(`${contribution}: nnkit conformance`));
      expect(
        own.some((t) => t.status === 'passed'),
        `${contribution}: some tests pass`,
      ).toBe(true);
    }
  });
});
