import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@nnkit/backends';
import { seq2seqWorkload, captionerWorkload } from '../dist/workloads.js';
await useBackend('tensorflow');
const run = (process.argv[2] === 'caption' ? captionerWorkload() : seq2seqWorkload()).setup();
for (let i = 0; i < 3; i++) await run.step();
const totals = new Map();
for (let i = 0; i < 5; i++) {
  const info = await tf.profile(() => run.step());
  for (const k of info.kernels) {
    if (!['BatchMatMul', process.argv[3]].includes(k.name)) continue;
    const key = k.name + ' ' + JSON.stringify(k.inputShapes);
    const t = totals.get(key) ?? { ms: 0, n: 0 };
    t.ms += k.kernelTimeMs; t.n++; totals.set(key, t);
  }
}
for (const [key, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log((t.ms / 5).toFixed(2).padStart(7), 'ms', String(t.n / 5).padStart(5), key);
