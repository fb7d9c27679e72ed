import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
type MayImport = Record<string, readonly string[]>;

/** Every kind of name of ours a file could import, allowed or not somewhere. */
const OURS = [
  'backends',
  'core',
  'kit',
  'ops',
  'decoding',
  'train',
  'viz',
  'datasets',
  'testing',
  'recipes',
  'cli',
  'plugin-lstm',
  'plugin-tasks',
];

/** A source file of `folder` (a plugin stands for `plugins/*`) that no tsconfig needs to hold: the probe is linted as text. */
const sourceIn = (folder: string, file = 'boundary-probe.ts') => `${folder.replace('*', 'lstm')}/src/${file}`;

const allows = (allowed: readonly string[], folder: string, name: string) =>
  allowed.includes(name) || (name.startsWith('plugin-') && allowed.includes('plugin-*')) || folder.endsWith(`/${name}`) || folder === name;

describe('the import boundaries of ARCHITECTURE.md, as eslint.config.js enforces them', () => {
  let mayImport: MayImport;
  let eslint: ESLint;
  const restricted = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  };

  beforeAll(async () => {
    ({ MAY_IMPORT: mayImport } = (await import(pathToFileURL(`${ROOT}eslint.config.js`).href)) as {
      MAY_IMPORT: MayImport;
    });
    // The probes are text, outside every tsconfig, so the type-aware rules are off; the boundaries are not type-aware.
    eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
  });

  it("ARCHITECTURE.md's table and the rule name the same imports for every folder", () => {
    const page = readFileSync(`${ROOT}ARCHITECTURE.md`, 'utf8');
    const section = page.slice(page.indexOf('## What each package may import'), page.indexOf('## Where each idea lives'));
    const rows = Object.fromEntries(
      [...section.matchAll(/^\| `([^`|]+)` \| ([^|]+) \|$/gm)].map(([, folder, cell]) => [
        folder!,
        cell!.trim() === 'nothing' ? [] : [...cell!.matchAll(/`@nnkit\/([^`]+)`/g)].map((m) => m[1]!),
      ]),
    );
    expect(rows).toEqual(mayImport);
  });

  it('refuses, in what ships, every import of ours that the table does not name, and lets through what it names', async () => {
    for (const [folder, allowed] of Object.entries(mayImport)) {
      const names = [...OURS.map((name) => `@nnkit/${name}`), 'nnkit', 'nnkit-plugin-gru'];
      // One import a line, type-only ones too: a line's number says which import a message is about.
      const code = names.map((name, i) => (i % 2 === 0 ? `import '${name}';` : `import type { X${i} } from '${name}';`)).join('\n');
      const refusedLines = (await restricted(code, sourceIn(folder))).map((m) => m.line);
      const expected = names.flatMap((name, i) => (name.startsWith('@nnkit/') && allows(allowed, folder, name.slice(7)) ? [] : [i + 1]));
      expect(refusedLines, `${folder}: lines refused`).toEqual(expected);
    }
  });

  it("names the rule's reason in its message", async () => {
    const [message] = await restricted("import { sample } from '@nnkit/plugin-rnn-lm';\n", sourceIn('plugins/*'));
    expect(message?.message).toContain('plugins/* may import @nnkit/core, @nnkit/ops, @nnkit/decoding, @nnkit/train');
    expect(message?.message).toContain('ARCHITECTURE.md');
  });

  it("lets a plugin's tests load another plugin, as its kit needs another plugin's cells", async () => {
    expect(
      await restricted("import lstm from '@nnkit/plugin-lstm';\n", sourceIn('plugins/*', 'model.test.ts').replace('lstm/', 'rnn-lm/')),
    ).toEqual([]);
  });
});
