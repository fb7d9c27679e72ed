import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { importOptional } from '../candidates.js';

/**
 * Loads a native addon (`@tensorflow/tfjs-node` or `-gpu`; both register their kernels as 'tensorflow') and fixes
 * what the libtensorflow under it gets wrong. `install` is the advice shown when the addon is missing or broken.
 */
export async function prepareNative(specifier: string, install: string): Promise<void> {
  // libtensorflow prints notes at start-up (which CPU instructions it could have used, that oneDNN is on) into
  // every program's output; level 2 keeps its warnings and errors. Only a default: a value set is left alone, and
  // level 0 (show everything) also shows what the library logs while it loads.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  if (process.env.TF_CPP_MIN_LOG_LEVEL !== '0') loadQuietly(specifier);
  await importOptional(specifier, install);
  keepIntegersInRound();
}

interface QuietStderr {
  mute(): number;
  restore(saved: number): void;
}

/**
 * TensorFlow 2.21 (the libtensorflow nnkit's install builds tfjs-node against offline) logs "oneDNN custom
 * operations are on" to stderr while the library loads, before it reads TF_CPP_MIN_LOG_LEVEL. Where the install
 * left its helper beside that library (`scripts/quiet-stderr.c`), the addon's binding is loaded here, synchronously,
 * with file descriptor 2 on /dev/null; the addon's own import then finds it loaded. Anything that goes wrong here
 * is left for that import to report.
 */
function loadQuietly(specifier: string): void {
  try {
    const root = dirname(realpathSync(createRequire(import.meta.url).resolve(`${specifier}/package.json`)));
    const helper = join(root, 'deps', 'lib', 'nnkit_quiet_stderr.node');
    if (!existsSync(helper)) return;
    const require = createRequire(join(root, 'package.json'));
    // The path tfjs-node's index.js loads (node-pre-gyp's find), so that its require() hits the module cache.
    const binding = (require('@mapbox/node-pre-gyp') as { find(packageJson: string): string }).find(join(root, 'package.json'));
    if (!existsSync(binding)) return;
    const quiet = require(helper) as QuietStderr;
    const saved = quiet.mute();
    try {
      require(binding);
    } finally {
      quiet.restore(saved);
    }
  } catch {
    // The import that follows reports a broken addon with its own message.
  }
}

type RoundArgs = { inputs: { x: tf.TensorInfo }; backend: unknown; attrs: tf.NamedAttrMap };

let patchedRound: tf.KernelFunc | undefined;

/**
 * Rounding an integer tensor leaves it as it is; TensorFlow 2.21's `Round` kernel for int32 (the libtensorflow
 * that nnkit's install builds tfjs-node against offline) returns zeros instead. nnkit answers int32 with the
 * backend's own Identity and passes float tensors to TensorFlow's Round. Checked on every backend by
 * `conformance.test.ts` ("round of int32 and float32").
 */
function keepIntegersInRound(): void {
  const round = tf.getKernel('Round', 'tensorflow');
  const identity = tf.getKernel('Identity', 'tensorflow');
  // Registered already (a second addon import re-registers tfjs-node's own kernel, so this runs again then).
  if (!round || !identity || round.kernelFunc === patchedRound) return;
  const original = round.kernelFunc;
  patchedRound = ((args: RoundArgs) =>
    args.inputs.x.dtype === 'int32'
      ? identity.kernelFunc({ inputs: { x: args.inputs.x }, backend: args.backend, attrs: {} } as never)
      : original(args as never)) as tf.KernelFunc;
  tf.unregisterKernel('Round', 'tensorflow');
  tf.registerKernel({ ...round, kernelFunc: patchedRound });
}
