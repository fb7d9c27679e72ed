import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Verdaccio 6.8 (the last release that runs on Node 20), a devDependency of the e2e tests. */
const VERDACCIO_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'verdaccio', 'bin', 'verdaccio');

/**
 * Third-party packuments Verdaccio fetched from the upstream registry, kept between runs beside nnkit's libtensorflow
 * cache. Verdaccio asks its uplink for full packuments (npm itself asks for abbreviated ones): tens of MB for tfjs or
 * @types/node, minutes on a slow link. Kept here, a run reads them from disk; tarballs come from npm's own cache.
 */
const UPLINK_CACHE = join(
  process.env.NNKIT_CACHE || (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'nnkit') : join(homedir(), '.cache', 'nnkit')),
  'registry-uplink',
);
/** How long a kept packument is served without asking upstream: new releases of dependencies show up within it. */
const UPLINK_MAX_AGE = '7d';

/** nnkit's own names: served only from what a run published, never from upstream or the kept packuments. */
const isLocalName = (name: string) => name === 'nnkit' || name.startsWith('@nnkit/') || name.startsWith('nnkit-plugin-');

/** The package folders of a Verdaccio storage: `name` and `@scope/name`. */
function packageFolders(storage: string): string[] {
  if (!existsSync(storage)) return [];
  return readdirSync(storage).flatMap((entry) => {
    if (entry.startsWith('.')) return [];
    if (!entry.startsWith('@')) return [entry];
    return readdirSync(join(storage, entry)).map((name) => `${entry}/${name}`);
  });
}

/** Links every kept packument into a fresh storage. */
function linkKeptPackuments(storage: string): void {
  for (const name of packageFolders(UPLINK_CACHE)) {
    if (isLocalName(name)) continue;
    mkdirSync(dirname(join(storage, name)), { recursive: true });
    symlinkSync(join(UPLINK_CACHE, name), join(storage, name), 'dir');
  }
}

/** Moves the packuments this run fetched from upstream into the kept ones (a copy where /tmp is another disk). */
function keepFetchedPackuments(storage: string): void {
  for (const name of packageFolders(storage)) {
    const from = join(storage, name);
    const to = join(UPLINK_CACHE, name);
    if (isLocalName(name) || lstatSync(from).isSymbolicLink() || existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    const partial = `${to}.partial-${process.pid}`;
    cpSync(from, partial, { recursive: true });
    try {
      renameSync(partial, to);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another run kept it first
    }
  }
}

export interface LocalRegistry {
  readonly url: string;
  /** An npmrc that extends the user's own with this registry and a publishing token: for `npm_config_userconfig`. */
  readonly npmrc: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Where third-party packages come from: npm's own configured registry, as Verdaccio's one uplink. nnkit's names are
 * served only from what was published here (no proxy for them), so a package of the same name on npm never stands in.
 */
function upstreamRegistry(): string {
  const answer = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim();
  return /^https?:\/\//.test(answer) ? answer : 'https://registry.npmjs.org/';
}

function config(storage: string, upstream: string): string {
  const local = (pattern: string) => `  '${pattern}':\n    access: $all\n    publish: $authenticated\n`;
  return [
    `storage: ${JSON.stringify(join(storage, 'packages'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(storage, 'htpasswd'))}`,
    '    max_users: 100',
    'uplinks:',
    // Named as npm's own registry is in Verdaccio's examples; kept packuments record when each uplink fetched them.
    '  npmjs:',
    `    url: ${JSON.stringify(upstream)}`,
    '    timeout: 120s',
    `    maxage: ${UPLINK_MAX_AGE}`,
    // Tarballs stream through without a copy here: npm's own cache (--prefer-offline) already keeps them.
    '    cache: false',
    'packages:',
    local('@nnkit/*'),
    local('nnkit'),
    local('nnkit-plugin-*'),
    "  '**':\n    access: $all\n    publish: $authenticated\n    proxy: npmjs\n",
    'server:',
    '  keepAliveTimeout: 60',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`Verdaccio exited (${child.exitCode ?? child.signalCode}) before answering:\n${log()}`);
    try {
      if ((await fetch(new URL('-/ping', url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Verdaccio did not answer ${url}-/ping within 60 s:\n${log()}`);
}

/** A user added through the CouchDB user API (what `npm adduser` does); returns its token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(new URL('-/user/org.couchdb.user:nnkit-test', url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'nnkit-test', password: 'nnkit-test-password', type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(`Verdaccio refused a user: HTTP ${response.status} ${body.error ?? ''}`);
  return body.token;
}

/** Starts Verdaccio on 127.0.0.1 at a free port, its storage under `storage`. */
export async function startRegistry(storage: string): Promise<LocalRegistry> {
  if (!existsSync(VERDACCIO_BIN))
    throw new Error(`The registry test expects Verdaccio at ${VERDACCIO_BIN}, got none: run npx -y pnpm@9 install.`);
  mkdirSync(join(storage, 'packages'), { recursive: true });
  linkKeptPackuments(join(storage, 'packages'));
  const configFile = join(storage, 'config.yaml');
  writeFileSync(configFile, config(storage, upstreamRegistry()));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let output = '';
  const child = spawn(process.execPath, [VERDACCIO_BIN, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    cwd: storage,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // A registry that dies mid-run fails the installs that follow; the test's log then says why it died.
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`Verdaccio exited (${code ?? signal}) while the test was using it:\n${output.slice(-4000)}`);
  });
  const stop = async () => {
    stopping = true;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    keepFetchedPackuments(join(storage, 'packages'));
  };
  try {
    await waitForPing(url, child, () => output);
    const token = await addUser(url);
    const userConfig = process.env.npm_config_userconfig || join(homedir(), '.npmrc');
    const inherited = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
    const npmrc = join(storage, 'npmrc');
    writeFileSync(npmrc, `${inherited}\nregistry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
    return { url, npmrc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
