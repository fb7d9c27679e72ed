// Where a training step's time goes, by kernel: node packages/bench/scripts/profile.mjs <lenet|lstm|seq2seq|caption> [backend]
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@nnkit/backends';
import { captionerWorkload, lenet5Workload, lstmLanguageModelWorkload, seq2seqWorkload } from '../dist/workloads.js';
const [which = 'lenet', backend = 'tensorflow'] = process.argv.slice(2);
await useBackend(backend);
const workloads = {
  lenet: () => lenet5Workload(64),
  lstm: lstmLanguageModelWorkload,
  seq2seq: seq2seqWorkload,
  caption: captionerWorkload,
};
if (!(which in workloads)) {
  console.error(`profile.mjs expects a workload among ${Object.keys(workloads).join(', ')}, got '${which}'.`);
  process.exit(2);
}
const workload = workloads[which]();
const run = await workload.setup();
for (let i = 0; i < 5; i++) await run.step();
const started = performance.now();
const steps = 10;
const totals = new Map();
let kernels = 0;
for (let i = 0; i < steps; i++) {
  const info = await tf.profile(() => run.step());
  for (const k of info.kernels) {
    const t = totals.get(k.name) ?? { ms: 0, n: 0 };
    t.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    t.n++;
    totals.set(k.name, t);
    kernels++;
  }
}
const wall = (performance.now() - started) / steps;
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((s, [, t]) => s + t.ms, 0) / steps;
console.log(
  `${which} on ${backend}: ${wall.toFixed(1)} ms per step under profile, ${kernelMs.toFixed(1)} ms in kernels, ${(kernels / steps).toFixed(0)} kernels per step`,
);
for (const [name, t] of rows.slice(0, 25))
  console.log(`  ${name.padEnd(24)} ${(t.ms / steps).toFixed(2).padStart(8)} ms  ${String(t.n / steps).padStart(6)} calls`);
run.dispose();
