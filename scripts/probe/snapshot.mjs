#!/usr/bin/env node
// A private, built copy of one commit of nnkit for the probe to run against, so that other people rebuilding the
// working tree's dist/ folders meanwhile can't turn a probe case into a half-built-module stack trace.
//
//   node scripts/probe/snapshot.mjs [--ref HEAD] [--dir /tmp/nnkit-probe-snapshot]
// prints the CLI's path in the copy: pass it to probe.mjs as --bin.
//
// The sources come from `git archive <ref>`; node_modules folders are hard-linked from the working tree (same
// installed packages, no download, little disk); then `tsc -b` builds the copy.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opts } = parseArgs({
  options: { ref: { type: 'string', default: 'HEAD' }, dir: { type: 'string', default: '/tmp/nnkit-probe-snapshot' } },
});
const sha = execFileSync('git', ['-C', repo, 'rev-parse', opts.ref], { encoding: 'utf8' }).trim();
const dir = join(opts.dir, sha.slice(0, 12));
const bin = join(dir, 'packages/cli/dist/bin.js');

if (!existsSync(bin)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${repo}" archive --format=tar ${sha} | tar -x -C "${dir}"`], { stdio: 'inherit' });
  // The workspace's node_modules folders: the root one and each package's (its links to sibling packages are
  // relative, so they point into the copy).
  const folders = ['node_modules'];
  for (const group of ['packages', 'plugins'])
    for (const name of readdirSync(join(repo, group))) folders.push(`${group}/${name}/node_modules`);
  folders.push('datasets/node_modules', 'recipes/node_modules', 'test/node_modules');
  for (const folder of folders) {
    if (!existsSync(join(repo, folder)) || !existsSync(dirname(join(dir, folder)))) continue;
    execFileSync('cp', ['-al', join(repo, folder), join(dir, folder)]);
  }
  try {
    // tsc reports on stdout: sent to stderr, so that stdout carries only the CLI's path.
    execFileSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-b'], {
      cwd: dir,
      stdio: ['ignore', 2, 2],
    });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    console.error(`${sha} does not build (above); snapshot another commit: --ref <commit>`);
    process.exit(1);
  }
  console.error(`built ${sha} in ${relative(process.cwd(), dir) || dir}`);
}
console.log(bin);
