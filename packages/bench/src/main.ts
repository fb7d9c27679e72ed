#!/usr/bin/env node
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, probeBackends, useBackend, type BackendName } from '@nnkit/backends';
import { measure, type Measurement } from './measure.js';
import { pythonWithTorch, pytorchReference, type ReferenceRow } from './reference.js';
import { layersLstmLanguageModelWorkload, lenet5Workload, lstmLanguageModelWorkload, matMulWorkload, seq2seqWorkload, type Workload } from './workloads.js';

// pnpm bench [--quick] [--json] [--backends wasm,cpu]: every workload on every available backend, in one run,
// with the median of several repeats and the ratio against tfjs's cpu backend.
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    backends: { type: 'string' },
    /** Only the workloads whose names contain one of these words (comma-separated, case-insensitive): `lenet,seq2seq`. */
    workloads: { type: 'string' },
    /** Skip the PyTorch reference. */
    'no-reference': { type: 'boolean' },
    /** Run the PyTorch reference on this device instead of the CPU (`cuda`, where a GPU is). */
    'torch-device': { type: 'string' },
    /** TensorFlow's intra-op threads for this run (TF_NUM_INTRAOP_THREADS; the native backend uses every core unless told). */
    threads: { type: 'string' },
  },
});
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined) {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`--threads expects a whole number ≥ 1, got '${values.threads}'.`);
  process.env.TF_NUM_INTRAOP_THREADS = String(threads); // read when libtensorflow makes its thread pool, on first load
}
const quick = Boolean(values.quick);
const settings = quick ? { warmup: 1, repeats: 3, minSeconds: 0.5 } : { warmup: 2, repeats: 5, minSeconds: 2 };
const everyWorkload: Workload[] = [matMulWorkload(), lenet5Workload(64), lenet5Workload(256), lstmLanguageModelWorkload(), layersLstmLanguageModelWorkload(), seq2seqWorkload()];
const picked = values.workloads?.toLowerCase().split(',').filter(Boolean);
const workloads = picked ? everyWorkload.filter((w) => picked.some((word) => w.name.toLowerCase().includes(word))) : everyWorkload;
const log = (line: string) => void process.stderr.write(`${line}\n`);

const statuses = await probeBackends();
const wanted = values.backends ? (values.backends.split(',') as BackendName[]) : [...BACKEND_NAMES];
// WebGPU on a software rasterizer (Mesa's llvmpipe) is for correctness tests, not timings: only when named.
const worthTiming = (s: (typeof statuses)[number]) => values.backends !== undefined || !s.detail?.startsWith('software');
const backends = statuses.filter((s) => s.state === 'ready' && wanted.includes(s.name) && worthTiming(s)).map((s) => s.name);
for (const s of statuses) {
  if (s.state !== 'ready') log(`skipping ${s.name}: ${s.state} (${s.reason})`);
  else if (!backends.includes(s.name)) log(`skipping ${s.name}: ${s.detail ?? 'not asked for'}`);
}

interface Row {
  workload: string;
  unit: string;
  backend: BackendName;
  /** TensorFlow's intra-op threads, when the run set them (the native backend at one thread, against PyTorch at one). */
  threads?: number;
  median: number;
  rates: number[];
  vsCpu?: number;
  /** Against PyTorch, by its thread count. */
  vsPytorch?: Record<number, number>;
}
const rows: Row[] = [];
for (const backend of backends) {
  await useBackend(backend);
  for (const workload of workloads) {
    log(`${backend}: ${workload.name} …`);
    const { step, unitsPerStep, dispose } = workload.setup();
    let result: Measurement;
    try {
      // tfjs's cpu backend is 30–200× slower than the others (an LSTM step takes minutes): a few single steps rank it.
      result = await measure(step, unitsPerStep, backend === 'cpu' ? { warmup: quick ? 0 : 1, repeats: quick ? 1 : 3, minSeconds: 0 } : settings);
    } finally {
      dispose();
    }
    rows.push({ workload: workload.name, unit: workload.unit, backend, ...(backend === 'tensorflow' && threads !== undefined && { threads }), median: result.median, rates: result.rates });
  }
}
// The native backend uses every core; at one thread too (a child process: the thread count is fixed when
// libtensorflow loads), so that it can be set against PyTorch at one thread, thread for thread.
if (backends.includes('tensorflow') && threads === undefined && availableParallelism() > 1) {
  log('tensorflow at 1 thread (a child process) …');
  rows.push(...singleThreadedTensorflow());
}
// PyTorch at one thread (what the single-threaded wasm backend is measured against) and at every core (what the
// native backend, which uses them all, is measured against).
const references: { threads: number; rows: ReferenceRow[]; version: string }[] = [];
const python = values['no-reference'] ? { skipped: 'not asked for (--no-reference)' } : pythonWithTorch(log);
if (typeof python !== 'string') log(`skipping the PyTorch reference: ${python.skipped}`);
else {
  const device = values['torch-device'] ?? 'cpu';
  for (const threads of device === 'cpu' ? [...new Set([1, availableParallelism()])] : [availableParallelism()]) {
    log(`PyTorch reference (${device}, ${threads} thread${threads > 1 ? 's' : ''}) …`);
    const reference = pytorchReference(python, quick, threads, device);
    if ('skipped' in reference) log(`skipping the PyTorch reference: ${reference.skipped}`);
    else references.push(reference);
  }
}
for (const row of rows) {
  const cpu = rows.find((r) => r.workload === row.workload && r.backend === 'cpu');
  if (cpu) row.vsCpu = row.median / cpu.median;
  row.vsPytorch = Object.fromEntries(references.flatMap((ref) => {
    const torch = ref.rows.find((r) => r.workload === row.workload);
    return torch ? [[ref.threads, row.median / torch.median]] : [];
  }));
}

function singleThreadedTensorflow(): Row[] {
  const args = [process.argv[1]!, '--json', '--no-reference', '--backends', 'tensorflow', '--threads', '1', ...(quick ? ['--quick'] : []), ...(values.workloads ? ['--workloads', values.workloads] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 });
  if (child.status !== 0) {
    log(`skipping tensorflow at 1 thread: the child process exited with ${child.status ?? child.signal}`);
    return [];
  }
  return (JSON.parse(child.stdout) as { rows: Row[] }).rows;
}

const format = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2));
const machine = { cpu: cpus()[0]?.model, cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), platform: `${platform()} ${arch()}` };
if (values.json) {
  const pytorch = references.map((ref) => ({ version: ref.version, threads: ref.threads, rows: ref.rows }));
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), machine, quick, tfjs: tf.version.tfjs, node: process.version, settings, rows, pytorch }, null, 2)}\n`);
} else {
  const threadCounts = references.map((ref) => ref.threads);
  const header = ['workload', 'backend', 'median', 'unit', 'vs cpu', ...threadCounts.map((t) => `vs PyTorch ${t}T`), 'repeats'];
  const ratio = (x: number | undefined) => (x === undefined ? '' : `${x >= 10 ? format(x) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`);
  const body = rows.map((r) => [r.workload, r.threads === undefined ? r.backend : `${r.backend} (${r.threads}T)`, format(r.median), r.unit, ratio(r.vsCpu), ...threadCounts.map((t) => ratio(r.vsPytorch?.[t])), r.rates.map(format).join(' ')]);
  for (const ref of references) {
    for (const r of ref.rows) {
      if (!workloads.some((w) => w.name === r.workload)) continue;
      body.push([r.workload, `pytorch ${ref.version} (${ref.threads}T)`, format(r.median), r.unit, '', ...threadCounts.map((t) => (t === ref.threads ? '1.00×' : '')), r.rates.map(format).join(' ')]);
    }
  }
  process.stdout.write(`${new Date().toISOString().slice(0, 10)}, ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${process.version}, tfjs ${tf.version.tfjs}\n`);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  for (const row of [header, ...body]) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
}
