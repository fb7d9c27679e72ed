#!/usr/bin/env node
// Publishes every public package of the workspace to the registry at a URL, as they would go to npm:
//
//   pnpm publish:registry http://127.0.0.1:4873            # e.g. a local Verdaccio
//   NNKIT_REGISTRY_TOKEN=… pnpm publish:registry <url>     # a registry that wants a token
//
// It builds first (tsc -b), then runs `pnpm publish -r --registry <url> --no-git-checks`: pnpm replaces the
// workspace: and catalog: versions with real ranges and skips private packages (the bench, the e2e tests and
// their fixtures) and versions the registry already has. Authentication: NNKIT_REGISTRY_TOKEN when set; otherwise,
// for a registry on this machine (127.0.0.1, localhost), a user is added through the registry's CouchDB user API
// (Verdaccio's `npm adduser`), so that a fresh local registry needs no manual login. The token goes to a temporary
// npmrc that extends the user's own, and is never written into the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function fail(message) {
  console.error(`publish:registry: ${message}`);
  process.exit(2);
}

function registryUrl(argument) {
  if (!argument) fail('expects the registry URL, got none. For example: pnpm publish:registry http://127.0.0.1:4873');
  let url;
  try {
    url = new URL(argument);
  } catch {
    fail(`expects an http(s) URL, got '${argument}'.`);
  }
  if (!/^https?:$/.test(url.protocol)) fail(`expects an http(s) URL, got '${argument}'.`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** A token for a registry on this machine: a user added through the CouchDB user API, as `npm adduser` does. */
async function localToken(url) {
  const name = `nnkit-publisher-${process.pid}`;
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `nnkit-${Date.now()}`, type: 'user', roles: [] }),
  }).catch((error) => fail(`could not reach ${url.href} (${error.cause?.code ?? error.message}). Is the registry running?`));
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    fail(`${url.href} did not add a publishing user (HTTP ${response.status}: ${body.error ?? 'no token'}). Set NNKIT_REGISTRY_TOKEN.`);
  }
  return body.token;
}

async function main() {
  const url = registryUrl(process.argv[2]);
  const token = process.env.NNKIT_REGISTRY_TOKEN || (LOCAL_HOSTS.has(url.hostname) ? await localToken(url) : undefined);
  if (!token) fail(`expects NNKIT_REGISTRY_TOKEN for ${url.href} (only a registry on this machine gets a user added).`);

  const pnpm = ['-y', 'pnpm@9'];
  const build = spawnSync('npx', [...pnpm, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed; nothing was published.');

  const work = mkdtempSync(join(tmpdir(), 'nnkit-publish-'));
  try {
    const userConfig = process.env.npm_config_userconfig || join(homedir(), '.npmrc');
    const inherited = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
    const npmrc = join(work, 'npmrc');
    writeFileSync(npmrc, `${inherited}\n//${url.host}${url.pathname}:_authToken=${token}\n`, { mode: 0o600 });
    const env = { ...process.env, npm_config_userconfig: npmrc };
    const publish = spawnSync('npx', [...pnpm, 'publish', '-r', '--registry', url.href, '--no-git-checks', '--report-summary'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    // npm's file-by-file notices are long: shown when something failed; otherwise pnpm's summary is what to read.
    if (publish.status !== 0) {
      process.stdout.write(publish.stdout);
      process.stderr.write(publish.stderr);
      console.error(`publish:registry: pnpm publish -r exited with ${publish.status}.`);
      process.exitCode = 2; // not process.exit: the finally below removes the npmrc that holds the token
      return;
    }
    const summaryFile = join(ROOT, 'pnpm-publish-summary.json');
    const published = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')).publishedPackages : [];
    rmSync(summaryFile, { force: true });
    for (const p of published) console.log(`published ${p.name}@${p.version}`);
    console.log(
      `publish:registry: ${published.length} package(s) published to ${url.href}${published.length === 0 ? ' (every version was there already)' : ''}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
