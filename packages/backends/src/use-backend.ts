import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './errors.js';
import { BACKEND_NAMES, BackendUnavailable, type BackendName, type BackendRequest } from './candidates.js';
import { prepareNative } from './native/prepare.js';
import { prepareWasm } from './wasm/prepare.js';
import { prepareWebgpu } from './webgpu/prepare.js';

export interface BackendStatus {
  readonly name: BackendName;
  readonly state: 'ready' | 'not-installed' | 'failed' | 'no-adapter';
  /** Why it is not ready; absent when it is. */
  readonly reason?: string;
  /** What the backend runs on, where that varies (the WebGPU adapter). */
  readonly detail?: string;
}

export interface BackendChoice {
  /** The backend in use. */
  readonly name: BackendName;
  /** What was asked for. */
  readonly requested: BackendRequest;
  /** For `auto`: each backend tried before the chosen one, and why it was passed over. */
  readonly passedOver: readonly BackendStatus[];
  /** What it runs on, where that varies (the WebGPU adapter). */
  readonly detail?: string;
}

/** The one step that sets the native backend up, in an app as in this repository (README, "Backends"). */
export const NATIVE_FIX = 'npx nnkit native';

const NATIVE_INSTALL =
  `needs the native addon: \`${NATIVE_FIX}\` sets it up, with internet or offline where pip can fetch tensorflow-cpu==2.21.0; ` +
  `\`${NATIVE_FIX} --check\` says why not (README, "Backends")`;

/**
 * The CUDA build is only worth trying where an NVIDIA driver is loaded; elsewhere its import would half-register
 * kernels under 'tensorflow' before failing, and the CPU addon would then re-register them with a warning each.
 */
function nvidiaDriverPresent(): boolean {
  return existsSync('/proc/driver/nvidia/version');
}

/** Loads a backend's packages and registers it with tfjs; throws BackendUnavailable with the reason when it can't. */
async function prepare(name: BackendName, options: { auto: boolean }): Promise<string | void> {
  // Both native addons register their kernels under 'tensorflow'; loading the second one only re-registers.
  switch (name) {
    case 'tensorflow-gpu':
      if (!nvidiaDriverPresent()) {
        throw new BackendUnavailable('no-adapter', 'no NVIDIA driver is loaded (/proc/driver/nvidia/version is absent)');
      }
      await prepareNative(
        '@tensorflow/tfjs-node-gpu',
        `needs the native CUDA addon, installed on request: \`${NATIVE_FIX} --gpu\` (or \`npm install @tensorflow/tfjs-node-gpu\`), with internet, where its libtensorflow download works`,
      );
      return;
    case 'tensorflow':
      await prepareNative('@tensorflow/tfjs-node', NATIVE_INSTALL);
      return;
    case 'webgpu':
      return prepareWebgpu({ requireHardware: options.auto });
    case 'wasm':
      await prepareWasm();
      return;
    case 'cpu':
      return;
  }
}

/** The tfjs backend name behind an nnkit backend name (both native addons register as 'tensorflow'). */
function tfjsName(name: BackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

/** Each backend's packages are imported once per process: a failed native import is not retried. */
const prepared = new Map<string, Promise<string | void>>();

/** Prepares and initializes a backend; resolves to what it runs on, where that varies. */
async function activate(name: BackendName, options: { auto: boolean }): Promise<string | undefined> {
  const key = `${name}:${options.auto}`;
  if (!prepared.has(key)) prepared.set(key, prepare(name, options));
  const detail = (await prepared.get(key)) ?? undefined;
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfjsName(name));
    await tf.ready();
  } catch (error) {
    throw new BackendUnavailable('failed', `tfjs could not initialize '${tfjsName(name)}': ${(error as Error).message}`);
  }
  if (!ok) throw new BackendUnavailable('failed', `tfjs could not initialize '${tfjsName(name)}'`);
  if (name === 'cpu') muteNodeAdvice();
  return detail;
}

/**
 * tfjs's cpu backend prints a banner on first use in Node advising to install tfjs-node. nnkit already says
 * which backend it chose and why it passed over the native one (`describeChoice`, `nnkit backends`), and the
 * banner would land in the output of every program that uses the cpu backend, so it is switched off.
 */
function muteNodeAdvice(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

function statusOf(name: BackendName, error: unknown): BackendStatus {
  if (error instanceof BackendUnavailable) return { name, state: error.state, reason: error.message };
  return { name, state: 'failed', reason: (error as Error)?.message ?? String(error) };
}

/**
 * Makes `request` the tfjs backend and says what happened. `auto` tries, in order, tensorflow-gpu, tensorflow,
 * webgpu (on a hardware adapter only), wasm and cpu, and reports why each one before the chosen was passed over.
 * An explicit name that cannot be used throws a BackendError with the reason and the fix.
 */
export async function useBackend(request: BackendRequest = 'auto'): Promise<BackendChoice> {
  if (request !== 'auto' && !BACKEND_NAMES.includes(request)) {
    throw new BackendError(
      `useBackend expects one of auto, ${BACKEND_NAMES.join(', ')}, got '${String(request)}'. ` +
        `Set --backend or NNKIT_BACKEND to one of those.`,
    );
  }
  if (request !== 'auto') {
    let detail: string | undefined;
    try {
      detail = await activate(request, { auto: false });
    } catch (error) {
      const status = statusOf(request, error);
      throw new BackendError(
        `Backend '${request}' expects to load here, got ${status.state}: ${status.reason}. ` +
          `Use --backend auto to take the best available one (\`nnkit backends\` lists them).`,
        { cause: error },
      );
    }
    return { name: request, requested: request, passedOver: [], ...(detail && { detail }) };
  }
  const passedOver: BackendStatus[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const detail = await activate(name, { auto: true });
      return { name, requested: 'auto', passedOver, ...(detail && { detail }) };
    } catch (error) {
      passedOver.push(statusOf(name, error));
    }
  }
  throw new BackendError(`No backend could be initialized: ${passedOver.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`);
}

/**
 * The state of every backend, without changing the one in use: each is prepared and initialized, then the
 * previous backend is restored.
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  const previous = tf.getBackend();
  const statuses: BackendStatus[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const detail = await activate(name, { auto: false });
      statuses.push({ name, state: 'ready', ...(detail && { detail }) });
    } catch (error) {
      statuses.push(statusOf(name, error));
    }
  }
  if (previous) await tf.setBackend(previous);
  return statuses;
}

/**
 * Whether `auto` fell back past the native backend (to wasm or cpu): nnkit then trains several times slower, and
 * the person should hear it, with the fix.
 */
export function fellBackFromNative(choice: BackendChoice): boolean {
  return (
    choice.requested === 'auto' &&
    (choice.name === 'wasm' || choice.name === 'cpu') &&
    choice.passedOver.some((s) => s.name === 'tensorflow')
  );
}

/**
 * The choice for logs: a first line that names the backend (and, after a fall-back from the native backend, says
 * so with the fix: the CLI prints only this line), then one line per backend that was passed over.
 */
export function describeChoice(choice: BackendChoice): string {
  const why = choice.passedOver.map((s) => `  passed over ${s.name}: ${s.reason}`).join('\n');
  const detail = choice.detail ? ` on ${choice.detail}` : '';
  const fallBack = fellBackFromNative(choice)
    ? ` — the native tensorflow backend is not set up here; run \`${NATIVE_FIX}\` (several times faster)`
    : '';
  return `backend: ${choice.name}${detail}${choice.requested === 'auto' ? ' (auto)' : ''}${fallBack}${why ? `\n${why}` : ''}`;
}
