import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, run } from './helpers.js';

// The README's examples, run as a user would paste them: each must work and print what its last comment says.
it.each(['plugin', 'app', 'lm'])('runs the README %s example and prints what it promises', async (name) => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const code = new RegExp(`<!-- example:${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  expect(code, `README.md has a \`\`\`js block after <!-- example:${name} -->`).toBeDefined();
  const promised = /console\.log\(.*\/\/ (.*)$/m.exec(code!)?.[1];
  // Written inside test/ so that nnkit's packages and tfjs resolve from this package's dependencies.
  const file = join(REPO_ROOT, 'test', `.readme-${name}.mjs`);
  writeFileSync(file, code!);
  const result = await run(process.execPath, [file], { cwd: mkdtempSync(join(tmpdir(), 'nnkit-readme-')) });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).toBe(promised);
});
