import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, run } from './helpers.js';

// The README's plugin example, run as a user would paste it: it must work and print what its comment says.
it('runs the README plugin example and prints what it promises', async () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const code = /<!-- example:plugin -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code, 'README.md has a ```js block after <!-- example:plugin -->').toBeDefined();
  const promised = /console\.log\(.*\/\/ (.*)$/m.exec(code!)?.[1];
  // Written inside test/ so that @nnkit/core and tfjs resolve from this package's dependencies.
  const file = join(REPO_ROOT, 'test', '.readme-example.mjs');
  writeFileSync(file, code!);
  const result = await run(process.execPath, [file], { cwd: REPO_ROOT });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).toBe(promised);
});
