/**
 * The backends nnkit knows, in the order `auto` tries them: the native TensorFlow addons (GPU, then CPU),
 * WebGPU on a hardware adapter, WebAssembly, and tfjs's pure-JavaScript CPU backend, which always works.
 * The native CPU addon comes before wasm because `pnpm bench` measured it faster on every workload class
 * (matMul, LeNet-5, LSTM LM and seq2seq training: 1.8–10×; README, "Backends").
 */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = BackendName | 'auto';

/** Why a backend cannot be used, as a state a person can act on. */
export class BackendUnavailable extends Error {
  constructor(
    readonly state: 'not-installed' | 'failed' | 'no-adapter',
    message: string,
  ) {
    super(message);
  }
}

/** Imports a package that may be absent or broken, turning either case into a BackendUnavailable. */
export async function importOptional(specifier: string, install: string): Promise<unknown> {
  // An application that bundles nnkit (esbuild, Rollup) can hand over an optional backend package it bundled itself,
  // since a bundle cannot resolve `import(specifier)` at run time: globalThis.__nnkitModules = { [name]: module }.
  const bundled = (globalThis as { __nnkitModules?: Record<string, unknown> }).__nnkitModules?.[specifier];
  if (bundled !== undefined) return bundled;
  try {
    // A string variable keeps TypeScript (and bundlers) from resolving optional packages at build time.
    return await withoutReRegistrationWarnings(() => import(/* @vite-ignore */ specifier as string));
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const missing = (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') && err.message.includes(specifier);
    if (missing) throw new BackendUnavailable('not-installed', `${specifier} is not installed (${install})`);
    // A linked package whose install script failed throws a plain Error from its native binding.
    const firstLine = String(err.message ?? err).split('\n')[0];
    throw new BackendUnavailable('failed', `${specifier} is installed but failed to load (${install}): ${firstLine}`);
  }
}

/**
 * Runs `load` (an import) without tfjs's re-registration warnings: tfjs warns once per kernel when a package
 * registers kernels that another already did (the CPU and GPU native addons both register 'tensorflow'; a second
 * copy of tfjs-core registers every kernel of its backends again), hundreds of lines that say nothing actionable.
 */
export async function withoutReRegistrationWarnings<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    // "The kernel 'Add' for backend 'cpu' is already registered", "cpu backend was already registered. …"
    if (!/already registered/.test(String(args[0]))) warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}
