import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORE_VERSION, IncompatiblePluginError, validatePlugin } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

// The README and docs/ as a reader follows them: links that lead somewhere, the install block other tests and CI run,
// and the 1.x refusal that sends a plugin author to the guide.
const PAGES = [
  'README.md',
  'ARCHITECTURE.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(REPO_ROOT, page), 'utf8');
/** The text outside fenced code blocks, where a `](…)` is a link. */
const prose = (text: string) => text.replace(/```[\s\S]*?```/g, '');
/** GitHub's anchor for a heading: lower case, punctuation dropped (but `-` and `_`), spaces as `-`. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsOf = (page: string) =>
  new Set(
    prose(read(page))
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => anchor(l.replace(/^#+ /, ''))),
  );

describe('README.md and docs/', () => {
  it.each(PAGES)('%s: every relative link leads to a file that exists, and every #anchor to a heading there', (page) => {
    const broken: string[] = [];
    for (const [, target] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      const [path, hash] = target!.split('#') as [string, string | undefined];
      const file = path === '' ? page : join(dirname(page), path);
      if (!existsSync(join(REPO_ROOT, file))) broken.push(`${target} (no ${file})`);
      else if (hash !== undefined && file.endsWith('.md') && !anchorsOf(file).has(hash))
        broken.push(`${target} (no heading '#${hash}' in ${file})`);
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const readme = read('README.md');
    for (const page of PAGES.filter((p) => p.startsWith('docs/'))) expect(readme, page).toContain(`](${page})`);
  });

  it('the README starts with the install blocks (a ```sh block right after each marker) and keeps the test command CI runs', () => {
    const readme = read('README.md');
    // test/registry.test.ts runs these blocks against a published nnkit; here only that they are where a reader looks.
    const commands = (name: string) =>
      new RegExp(`<!-- install:${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n<!-- /install:${name} -->`)
        .exec(readme)?.[1]
        ?.split('\n')
        .map((line) => line.replace(/\s+#.*$/, '').trim())
        .filter(Boolean);
    expect(commands('app')).toEqual(expect.arrayContaining(['npm install nnkit', 'npx nnkit native']));
    expect(commands('plugin')).toEqual(expect.arrayContaining(['npm install && npm test']));
    expect(readme.indexOf('<!-- install:app -->')).toBeLessThan(readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
    expect(readme).toContain('npx nnkit recipe lenet5-mnist --quick');
    expect(readme).toContain('npx -y pnpm@9 install && npx -y pnpm@9 nnkit recipe lenet5-mnist --quick');
    expect(readme).toContain('npx -y pnpm@9 test');
  });
});

describe('a plugin written for nnkit 1.x', () => {
  const plugin = (nnkit: string) => ({ meta: { name: 'nnkit-plugin-old', version: '1.4.0', namespace: 'old', nnkit } });

  it('is refused with both versions and pointed to the guide that exists', () => {
    let error: unknown;
    try {
      validatePlugin(plugin('^1.0.0'), 'test');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(IncompatiblePluginError);
    const { message } = error as Error;
    expect(message).toContain(`expects @nnkit/core ^1.0.0, got ${CORE_VERSION}`);
    expect(message).toContain('"Moving a plugin from nnkit 1.x to 2.x"');
    const guide = /(docs\/[\w.-]+\.md)/.exec(message)![1]!;
    expect(read(guide).split('\n')[0]).toBe('# Moving a plugin from nnkit 1.x to 2.x');
  });

  it('but a plugin for a later core is told only the versions', () => {
    expect(() => validatePlugin(plugin('^3.0.0'), 'test')).toThrow(
      /^Plugin 'nnkit-plugin-old' expects @nnkit\/core \^3\.0\.0, got [\d.]+\. Install a version/,
    );
  });
});
