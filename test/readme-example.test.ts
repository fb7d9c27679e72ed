import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, run } from './helpers.js';

/**
 * The examples of the README and of docs/*.md, each a ```js or ```ts block after `<!-- example:<name> -->`: each is
 * run as a user would paste it and must print what its last comment says, and all of them compile under
 * `tsc --strict`, as a TypeScript application that pastes them would compile them.
 */
interface Example {
  readonly name: string;
  readonly file: string;
  readonly language: 'js' | 'ts';
  readonly code: string;
}

const PAGES = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

function examplesOf(file: string): Example[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/<!-- example:([\w-]+) -->\s*```(js|ts)\n([\s\S]*?)```/g)].map(([, name, language, code]) => ({
    name: name!,
    file,
    language: language as 'js' | 'ts',
    code: code!,
  }));
}

const EXAMPLES = PAGES.flatMap(examplesOf);

/**
 * An application folder outside the repository whose node_modules links nnkit's workspace packages, tfjs and Node's
 * types, as `npm install` would give them: an example resolves its imports from here, not from this test package.
 */
function appFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-docs-'));
  const link = (name: string, target: string) => {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  };
  for (const parent of ['packages', 'plugins', '.']) {
    for (const entry of parent === '.' ? ['datasets', 'recipes'] : readdirSync(join(REPO_ROOT, parent))) {
      const manifest = join(REPO_ROOT, parent, entry, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
      if (name === 'nnkit' || name.startsWith('@nnkit/')) link(name, join(REPO_ROOT, parent, entry));
    }
  }
  const require = createRequire(join(REPO_ROOT, 'test', 'package.json'));
  link('@tensorflow/tfjs', realpathSync(dirname(require.resolve('@tensorflow/tfjs/package.json'))));
  link('@types/node', realpathSync(join(REPO_ROOT, 'node_modules', '@types', 'node')));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nnkit-docs-app', private: true, type: 'module' }));
  return dir;
}

describe('the examples in the README and docs/', () => {
  it('are all there: moving a page must not drop one', () => {
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual(['app', 'captioner', 'lm', 'plugin', 'services', 'services-swap', 'translator']);
  });

  it.each(EXAMPLES.map((e) => [`${e.file} ${e.name}`, e] as const))(
    '%s runs and prints what it promises',
    async (_, example) => {
      const promised = /console\.log\(.*\/\/ (.*)$/m.exec(example.code)?.[1];
      expect(promised, `the ${example.name} example ends with console.log(…); // what it prints`).toBeDefined();
      const dir = appFolder();
      const js =
        example.language === 'ts'
          ? ts.transpileModule(example.code, {
              compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
            }).outputText
          : example.code;
      writeFileSync(join(dir, `${example.name}.mjs`), js);
      const result = await run(process.execPath, [`${example.name}.mjs`], { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(promised);
    },
    150_000,
  ); // each trains for real: 5–35 s alone on 2 cores, more beside the rest of the suite

  it('compile under tsc --strict without a type argument for a registered name', async () => {
    const dir = appFolder();
    // Every example, ```js ones too, as a TypeScript file: JavaScript that needs no annotation is TypeScript as it is.
    for (const { name, code } of EXAMPLES) writeFileSync(join(dir, `${name}.ts`), code);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      skipLibCheck: true,
      types: ['node'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', '.'], { cwd: dir, timeoutMs: 120_000 });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 150_000);
});
