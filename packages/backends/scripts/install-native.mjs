#!/usr/bin/env node
// Makes nnkit's `tensorflow` backend (@tensorflow/tfjs-node) work, or says in one line why it can't.
// Each step that did something prints one line after it is done.
//
//   npx nnkit native                                             # in an app: what `nnkit native` runs (with --strict)
//   node packages/backends/scripts/install-native.mjs           # run by the repository's postinstall; never fails
//   node packages/backends/scripts/install-native.mjs --check   # change nothing; exit 1 when the backend can't load
//   node packages/backends/scripts/install-native.mjs --force   # rebuild the binding and the stderr helper
//   node packages/backends/scripts/install-native.mjs --strict  # exit 1 when the backend could not be set up
//
// The script ships inside the published @nnkit/backends (npm runs no dependency's install script until the user
// approves it, so a postinstall alone would not reach apps): `npx nnkit native` runs it from there.
//
// tfjs-node's own install downloads libtensorflow 2.9.1 and a prebuilt binding. Where that worked, it is used as
// it is. Where it failed (offline), the same C API comes from the `tensorflow-cpu` wheel, which pip can fetch from
// a local wheelhouse or mirror: its libtensorflow_cc.so.2 exports every TF_/TFE_ function tfjs-node 4.22's binding
// calls and needs only libtensorflow_framework.so.2, glibc and libstdc++ (no libpython). Only the two libraries
// and the C headers are taken out of the 270 MB wheel (stripped, ≈ 600 MB) into a versioned cache, laid out as
// tfjs-node's binding.gyp expects (deps/include, deps/lib/libtensorflow.so), and the binding is built against them
// with node-pre-gyp --build-from-source (≈ 15 s; the built binding is cached too), with a small helper beside the
// libraries that keeps their load-time log line off stderr (quiet-stderr.c). A second run finds the addon loading
// and does nothing; a fresh clone with the cache present only links and copies.
// Only linux x64 is set up for the wheel; elsewhere tfjs-node's own download is the way.
//
// Environment: NNKIT_NATIVE=0 skips all this; NNKIT_CACHE (default ~/.cache/nnkit) holds the cache;
// NNKIT_TENSORFLOW_WHEEL=<path to tensorflow_cpu-2.21.0-*.whl> uses that file instead of pip; NNKIT_PYTHON
// names the python with pip (default python3).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The only TensorFlow this script installs: the version whose C API was checked against tfjs-node 4.22's binding. */
const TENSORFLOW_VERSION = '2.21.0';
const WHEEL = `tensorflow-cpu==${TENSORFLOW_VERSION}`;
const CACHE_NAME = `${TENSORFLOW_VERSION}-cpu`;
/** What the binding needs from the wheel: the two libraries and the C API headers it includes (with theirs). */
const WHEEL_MEMBERS =
  '^tensorflow/(libtensorflow_cc\\.so\\.2|libtensorflow_framework\\.so\\.2|include/(tensorflow/c/(eager/)?[^/]+\\.h|' +
  'tensorflow/core/platform/ctstring[^/]*\\.h|tsl/platform/ctstring[^/]*\\.h|xla/tsl/c/[^/]+\\.h))$';
const FALLBACK = 'nnkit will use wasm; `npx nnkit native` sets the native backend up (README, "Backends")';

const args = new Set(process.argv.slice(2));
const checkOnly = args.has('--check');
const force = args.has('--force');
const strict = args.has('--strict');
const started = Date.now();
const say = (line) => console.log(`nnkit native: ${line}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Why this step stops without a native backend; caught at the top, printed as one line. */
class Unavailable extends Error {}

function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) return { ok: false, output, why: result.error.message };
  if (result.status !== 0) {
    const lines = output
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const why = lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? `exit ${result.status ?? result.signal}`;
    return { ok: false, output, why };
  }
  return { ok: true, output };
}

/** tfjs-node as @nnkit/backends resolves it, or undefined when pnpm did not install it. */
function findTfjsNode() {
  const backends = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  try {
    return dirname(realpathSync(createRequire(backends).resolve('@tensorflow/tfjs-node/package.json')));
  } catch {
    return undefined;
  }
}

/**
 * Loads tfjs-node in a child process (a broken addon can abort the process that loads it) and runs one op.
 * Resolves to libtensorflow's version, or throws Unavailable with the loader's first line.
 */
function probe(tfjsNode) {
  const script =
    "const tf = require('@tensorflow/tfjs-node');" +
    'const sum = tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0];' +
    "if (tf.getBackend() !== 'tensorflow' || sum !== 3) throw new Error('backend ' + tf.getBackend() + ' gave 1 + 2 = ' + sum);" +
    'process.stdout.write(tf.backend().binding.TF_Version);';
  // TF_CPP_MIN_LOG_LEVEL=2 keeps TensorFlow's start-up notes (CPU instructions it could use) out of the answer.
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: tfjsNode,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status === 0) return result.stdout.trim();
  const lines = `${result.stderr ?? ''}`.split('\n').map((l) => l.trim());
  const first =
    lines.find((l) => /^(\w+)?Error: /.test(l)) ??
    result.error?.message ??
    lines.filter(Boolean).pop() ??
    `exit ${result.status ?? result.signal}`;
  throw new Unavailable(`@tensorflow/tfjs-node does not load (${first.replace(/^Error: /, '')})`);
}

/** Where the libraries and headers of the pinned wheel are kept, shared by every checkout and CI run. */
function cacheDir() {
  const root =
    process.env.NNKIT_CACHE ||
    (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'nnkit') : join(homedir(), '.cache', 'nnkit'));
  return join(root, 'libtensorflow', CACHE_NAME);
}

const isComplete = (cache) => existsSync(join(cache, 'nnkit-cache.json'));

/** Fetches the wheel with pip (or takes NNKIT_TENSORFLOW_WHEEL) into `into`; returns its path. */
function fetchWheel(into) {
  const given = process.env.NNKIT_TENSORFLOW_WHEEL;
  if (given) {
    if (!basename(given).startsWith(`tensorflow_cpu-${TENSORFLOW_VERSION}-`)) {
      throw new Unavailable(`NNKIT_TENSORFLOW_WHEEL expects a tensorflow_cpu-${TENSORFLOW_VERSION}-*.whl, got ${given}`);
    }
    if (!existsSync(given)) throw new Unavailable(`NNKIT_TENSORFLOW_WHEEL names ${given}, which does not exist`);
    return given;
  }
  const python = process.env.NNKIT_PYTHON || 'python3';
  const since = Date.now();
  const pip = run(
    python,
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--timeout', '30', '--retries', '1', '-d', into, WHEEL],
    { timeout: 900_000 },
  );
  if (!pip.ok) throw new Unavailable(`tfjs-node's libtensorflow download failed and pip could not fetch ${WHEEL} (${pip.why})`);
  const wheel = readdirSync(into).find((f) => f.startsWith(`tensorflow_cpu-${TENSORFLOW_VERSION}-`) && f.endsWith('.whl'));
  if (!wheel) throw new Unavailable(`pip download ${WHEEL} left no wheel in ${into}`);
  say(`fetched ${wheel} with ${python} -m pip in ${seconds(since)} (only its two libraries and C headers are kept)`);
  return join(into, wheel);
}

/** Extracts the libraries and headers from the wheel into the cache (atomically: a half-done cache is never used). */
function fillCache(cache) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Unavailable(
      `tfjs-node's libtensorflow download failed, and the ${WHEEL} fallback is only set up for linux x64 (this is ${process.platform} ${process.arch})`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'nnkit-tensorflow-'));
  const partial = `${cache}.partial-${process.pid}`;
  try {
    const wheel = fetchWheel(work);
    const since = Date.now();
    rmSync(partial, { recursive: true, force: true });
    // Python's zipfile streams members; the wheel is 270 MB and its libtensorflow_cc.so.2 is 790 MB unpacked.
    const extract = [
      'import os, re, shutil, sys, zipfile',
      'wheel, dest, pattern = sys.argv[1:4]',
      'keep = re.compile(pattern)',
      'n = 0',
      'with zipfile.ZipFile(wheel) as z:',
      '    for m in z.infolist():',
      '        if not keep.match(m.filename): continue',
      "        rel = m.filename[len('tensorflow/'):]",
      "        out = os.path.join(dest, 'lib' if rel.startswith('lib') else '', rel)",
      '        os.makedirs(os.path.dirname(out), exist_ok=True)',
      "        with z.open(m) as src, open(out, 'wb') as dst: shutil.copyfileobj(src, dst, 1 << 20)",
      '        n += 1',
      'print(n)',
    ].join('\n');
    const python = process.env.NNKIT_PYTHON || 'python3';
    const unzip = run(python, ['-c', extract, wheel, partial, WHEEL_MEMBERS], { timeout: 900_000 });
    if (!unzip.ok) throw new Unavailable(`could not extract ${basename(wheel)} (${unzip.why})`);
    const lib = join(partial, 'lib');
    for (const name of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
      if (!existsSync(join(lib, name))) throw new Unavailable(`${basename(wheel)} has no tensorflow/${name}`);
    }
    // Debug symbols are a quarter of the size and nothing here uses them; without strip the cache is just larger.
    const strip = run('strip', ['--strip-unneeded', join(lib, 'libtensorflow_cc.so.2'), join(lib, 'libtensorflow_framework.so.2')], {
      timeout: 600_000,
    });
    // The names binding.gyp links with (-ltensorflow -ltensorflow_framework); the binding then records the sonames.
    symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so'));
    symlinkSync('libtensorflow_framework.so.2', join(lib, 'libtensorflow_framework.so'));
    writeFileSync(
      join(partial, 'nnkit-cache.json'),
      `${JSON.stringify({ tensorflow: TENSORFLOW_VERSION, wheel: basename(wheel), stripped: strip.ok }, null, 2)}\n`,
    );
    mkdirSync(dirname(cache), { recursive: true });
    rmSync(cache, { recursive: true, force: true });
    renameSync(partial, cache);
    say(
      `extracted libtensorflow ${TENSORFLOW_VERSION} into ${cache} in ${seconds(since)}${strip.ok ? '' : ` (not stripped: ${strip.why})`}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Points tfjs-node's deps/lib and deps/include at the cache, replacing whatever its failed download left there. */
function linkDeps(tfjsNode, cache) {
  const deps = join(tfjsNode, 'deps');
  mkdirSync(deps, { recursive: true });
  for (const sub of ['lib', 'include']) {
    const at = join(deps, sub);
    let current;
    try {
      current = lstatSync(at).isSymbolicLink() ? realpathSync(at) : 'not a link';
    } catch {
      current = undefined;
    }
    if (current === realpathSync(join(cache, sub))) continue;
    rmSync(at, { recursive: true, force: true });
    symlinkSync(join(cache, sub), at);
  }
}

/** The napi version node-pre-gyp builds for: the highest tfjs-node supports that this Node has. */
function napiVersion(tfjsNode) {
  const pkg = JSON.parse(readFileSync(join(tfjsNode, 'package.json'), 'utf8'));
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  return { napi, version: pkg.version };
}

/** Where the installed Node keeps its headers (node-gyp needs them); undefined when it does not. */
function nodeHeaders() {
  const dirs = [
    join(dirname(dirname(process.execPath)), 'include', 'node'),
    join(homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ];
  return dirs.find((dir) => existsSync(join(dir, 'node_api.h')));
}

/**
 * Builds quiet-stderr.c into the cache's lib folder (deps/lib/nnkit_quiet_stderr.node from tfjs-node): nnkit's
 * prepareNative mutes libtensorflow's load-time note with it. Returns why not, when it could not.
 */
function buildQuietStderr(cache) {
  const target = join(cache, 'lib', 'nnkit_quiet_stderr.node');
  if (existsSync(target) && !force) return undefined;
  const headers = nodeHeaders();
  if (!headers) return 'no Node headers to build the stderr helper with';
  const source = join(dirname(fileURLToPath(import.meta.url)), 'quiet-stderr.c');
  const cc = run('cc', ['-shared', '-fPIC', '-O2', `-I${headers}`, source, '-o', `${target}.partial`], {
    timeout: 120_000,
  });
  if (!cc.ok) return `the stderr helper did not build (${cc.why})`;
  renameSync(`${target}.partial`, target);
  return undefined;
}

/** Copies the binding built earlier against this cache, or builds it with node-pre-gyp and keeps a copy. */
function installBinding(tfjsNode, cache) {
  const { napi, version } = napiVersion(tfjsNode);
  const target = join(tfjsNode, 'lib', `napi-v${napi}`, 'tfjs_binding.node');
  const cached = join(cache, 'binding', `tfjs-node-${version}-napi-v${napi}`, 'tfjs_binding.node');
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(cached) && !force) {
    copyFileSync(cached, target);
    return `the binding built earlier (${cached})`;
  }
  const since = Date.now();
  const preGyp = join(
    dirname(createRequire(join(tfjsNode, 'package.json')).resolve('@mapbox/node-pre-gyp/package.json')),
    'bin',
    'node-pre-gyp',
  );
  // node-gyp wants Node's headers; the installed Node carries them under its prefix, else node-gyp downloads them.
  const headers = nodeHeaders();
  const env = { ...process.env };
  if (headers) env.npm_config_nodedir = dirname(dirname(headers));
  const build = run(process.execPath, [preGyp, 'install', '--build-from-source'], {
    cwd: tfjsNode,
    env,
    timeout: 600_000,
  });
  if (!build.ok)
    throw new Unavailable(
      `building tfjs-node's binding against libtensorflow ${TENSORFLOW_VERSION} failed (${build.why}); it needs g++, make and python3`,
    );
  for (const dir of readdirSync(tfjsNode)) {
    if (dir === 'build' || dir.startsWith('build-tmp-')) rmSync(join(tfjsNode, dir), { recursive: true, force: true });
  }
  mkdirSync(dirname(cached), { recursive: true });
  copyFileSync(target, `${cached}.partial`);
  chmodSync(`${cached}.partial`, 0o755);
  renameSync(`${cached}.partial`, cached);
  return `a binding built by node-pre-gyp --build-from-source in ${seconds(since)}`;
}

function main() {
  if (/^(0|false|no|off|skip)$/i.test(process.env.NNKIT_NATIVE ?? '')) {
    say(`skipped (NNKIT_NATIVE=${process.env.NNKIT_NATIVE}); ${FALLBACK}`);
    return 0;
  }
  const tfjsNode = findTfjsNode();
  if (!tfjsNode)
    throw new Unavailable(
      `@tensorflow/tfjs-node is not installed (an optional dependency the package manager skipped or removed; \`npx nnkit native\` installs it)`,
    );
  const cache = cacheDir();
  if (!force) {
    try {
      const version = probe(tfjsNode);
      const lib = join(tfjsNode, 'deps', 'lib');
      const linked =
        existsSync(lib) && existsSync(join(realpathSync(lib), '..', 'nnkit-cache.json')) ? dirname(realpathSync(lib)) : undefined;
      // A cache from before the stderr helper existed gets it now (a few seconds, once).
      const quiet = linked && !checkOnly ? buildQuietStderr(linked) : undefined;
      const source = linked ? `${WHEEL}, cached in ${linked}` : "tfjs-node's own download";
      const did = checkOnly ? '' : `; nothing to do${quiet ? ` (${quiet})` : ''}`;
      say(`tensorflow backend ready: libtensorflow ${version} (${source})${did} [${seconds(started)}]`);
      return 0;
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      if (checkOnly) throw error;
    }
  }
  let from = `${cache} (cached)`;
  if (!isComplete(cache)) {
    fillCache(cache);
    from = cache;
  }
  linkDeps(tfjsNode, cache);
  const binding = installBinding(tfjsNode, cache);
  const quiet = buildQuietStderr(cache);
  const version = probe(tfjsNode);
  say(
    `tensorflow backend ready: libtensorflow ${version} from ${WHEEL} in ${from}, with ${binding}${quiet ? ` (${quiet}: TensorFlow's load-time note will show on stderr)` : ''} [${seconds(started)}]`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  const why = error instanceof Unavailable ? error.message : `unexpected ${error?.stack?.split('\n').slice(0, 2).join(' ') ?? error}`;
  say(`no tensorflow backend: ${why}; ${FALLBACK}.`);
  // Postinstall must never fail the install; --check is a question and answers with its exit status, and --strict
  // (`nnkit native`, run by a person) says with its status that the setup did not work.
  process.exitCode = checkOnly || strict ? 1 : 0;
}
