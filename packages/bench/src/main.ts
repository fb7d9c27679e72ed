#!/usr/bin/env node
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, probeBackends, useBackend, type BackendName } from '@nnkit/backends';
import { measure, type Measurement } from './measure.js';
import { compare, comparisonTable } from './comparison.js';
import { fastestReference, type Reference } from './fastest.js';
import { pythonsWithTorch, pytorchReference } from './reference.js';
import { formatRate, formatRatio, renderTable } from './table.js';
import {
  captionerWorkload,
  layersLstmLanguageModelWorkload,
  lenet5Workload,
  lstmLanguageModelWorkload,
  matMulWorkload,
  seq2seqWorkload,
  type Workload,
} from './workloads.js';

const USAGE = `Usage: pnpm bench [options]

Every workload on every available backend, in one run, with the median of several repeats; then the same workloads
in every PyTorch found here (NNKIT_TORCH_PYTHON, python3 on PATH, Debian's python3-torch, the bench's venv with
pip's torch) at 1 thread and at every core. Leads with nnkit against the fastest PyTorch at equal threads, per workload.

Options:
  --quick              fewer and shorter repeats (a check, not a measurement)
  --json               one JSON object on stdout instead of the tables
  --backends a,b       only these backends (tensorflow, wasm, cpu, webgpu)
  --workloads w1,w2    only the workloads whose names contain one of the words (lenet, lstm, seq2seq, caption, …)
  --no-reference       skip PyTorch
  --torch-device cuda  PyTorch on this device instead of the CPU
  --threads N          TensorFlow's intra-op threads for this run
  --help               this text
`;

// pnpm bench [--quick] [--json] [--backends wasm,cpu]: every workload on every available backend, in one run,
// with the median of several repeats, against tfjs's cpu backend and against the fastest PyTorch at equal threads.
const OPTIONS = {
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
  help: { type: 'boolean' },
} as const;
/** A wrong command line: the message and the usage on stderr, exit status 2 (as the nnkit CLI's UsageError). */
const usageError = (message: string): never => {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
};
const { values } = (() => {
  try {
    return parseArgs({ options: OPTIONS });
  } catch (error) {
    return usageError((error as Error).message);
  }
})();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined) {
  if (!(Number.isInteger(threads) && threads >= 1))
    usageError(`--threads expects a whole number ≥ 1, got '${values.threads}'. Give --threads 1, or leave it out for every core.`);
  process.env.TF_NUM_INTRAOP_THREADS = String(threads); // read when libtensorflow makes its thread pool, on first load
}
const quick = Boolean(values.quick);
const settings = quick ? { warmup: 1, repeats: 3, minSeconds: 0.5 } : { warmup: 2, repeats: 5, minSeconds: 2 };
const everyWorkload: Workload[] = [
  matMulWorkload(),
  lenet5Workload(64),
  lenet5Workload(256),
  lstmLanguageModelWorkload(),
  layersLstmLanguageModelWorkload(),
  seq2seqWorkload(),
  captionerWorkload(),
];
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
      result = await measure(
        step,
        unitsPerStep,
        backend === 'cpu' ? { warmup: quick ? 0 : 1, repeats: quick ? 1 : 3, minSeconds: 0 } : settings,
      );
    } finally {
      dispose();
    }
    rows.push({
      workload: workload.name,
      unit: workload.unit,
      backend,
      ...(backend === 'tensorflow' && threads !== undefined && { threads }),
      median: result.median,
      rates: result.rates,
    });
  }
}
// The native backend uses every core; at one thread too (a child process: the thread count is fixed when
// libtensorflow loads), so that it can be set against PyTorch at one thread, thread for thread.
if (backends.includes('tensorflow') && threads === undefined && availableParallelism() > 1) {
  log('tensorflow at 1 thread (a child process) …');
  rows.push(...singleThreadedTensorflow());
}
// Every PyTorch build found here, at one thread (what the single-threaded wasm backend and the native backend at one
// thread are measured against) and at every core (what the native backend, which uses them all, is measured against);
// each row of nnkit is set against the fastest build on that row at as many threads.
const cores = availableParallelism();
const device = values['torch-device'] ?? 'cpu';
const threadCounts = device === 'cpu' ? [...new Set([1, cores])] : [cores];
const references: Reference[] = [];
const found = values['no-reference'] ? { skipped: 'not asked for (--no-reference)' } : pythonsWithTorch(log);
if ('skipped' in found) log(`skipping the PyTorch reference: ${found.skipped}`);
else {
  for (const python of found.pythons) {
    for (const threads of threadCounts) {
      log(`PyTorch reference with ${python} (${device}, ${threads} thread${threads > 1 ? 's' : ''}) …`);
      const reference = pytorchReference(python, {
        quick,
        threads,
        device,
        ...(values.workloads && { workloads: values.workloads }),
      });
      if ('skipped' in reference) log(`skipping: ${reference.skipped}`);
      else references.push(reference);
    }
  }
}
for (const row of rows) {
  const cpu = rows.find((r) => r.workload === row.workload && r.backend === 'cpu');
  if (cpu) row.vsCpu = row.median / cpu.median;
  row.vsPytorch = Object.fromEntries(
    threadCounts.flatMap((t) => {
      const torch = fastestReference(references, row.workload, t);
      return torch ? [[t, row.median / torch.median]] : [];
    }),
  );
}
const comparisons = references.length > 0 ? compare(rows, references, threadCounts, cores) : [];

function singleThreadedTensorflow(): Row[] {
  const args = [
    process.argv[1]!,
    '--json',
    '--no-reference',
    '--backends',
    'tensorflow',
    '--threads',
    '1',
    ...(quick ? ['--quick'] : []),
    ...(values.workloads ? ['--workloads', values.workloads] : []),
  ];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 2 ** 20,
  });
  if (child.status !== 0) {
    log(`skipping tensorflow at 1 thread: the child process exited with ${child.status ?? child.signal}`);
    return [];
  }
  return (JSON.parse(child.stdout) as { rows: Row[] }).rows;
}

const machine = {
  cpu: cpus()[0]?.model,
  cores,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  platform: `${platform()} ${arch()}`,
};
if (values.json) {
  const pytorch = references.map((ref) => ({
    version: ref.version,
    build: ref.build,
    python: ref.python,
    threads: ref.threads,
    rows: ref.rows,
  }));
  process.stdout.write(
    `${JSON.stringify({ date: new Date().toISOString(), machine, quick, tfjs: tf.version.tfjs, node: process.version, settings, rows, pytorch, comparison: comparisons }, null, 2)}\n`,
  );
} else {
  process.stdout.write(
    `${new Date().toISOString().slice(0, 10)}, ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${process.version}, tfjs ${tf.version.tfjs}\n`,
  );
  if (comparisons.length > 0)
    process.stdout.write(
      `\nnnkit against the fastest PyTorch at equal threads (ratio: nnkit / PyTorch)\n${renderTable(comparisonTable(comparisons, threadCounts))}\nEvery run\n`,
    );
  const header = ['workload', 'backend', 'median', 'unit', 'vs cpu', ...threadCounts.map((t) => `vs PyTorch ${t}T`), 'repeats'];
  const body = rows.map((r) => [
    r.workload,
    r.threads === undefined ? r.backend : `${r.backend} (${r.threads}T)`,
    formatRate(r.median),
    r.unit,
    formatRatio(r.vsCpu),
    ...threadCounts.map((t) => formatRatio(r.vsPytorch?.[t])),
    r.rates.map(formatRate).join(' '),
  ]);
  for (const ref of references) {
    for (const r of ref.rows) {
      if (!workloads.some((w) => w.name === r.workload)) continue;
      // Each build against the fastest at its threads: 1.00× marks the one that set the row.
      const fastest = fastestReference(references, r.workload, ref.threads);
      body.push([
        r.workload,
        `${ref.build} (${ref.threads}T)`,
        formatRate(r.median),
        r.unit,
        '',
        ...threadCounts.map((t) => (t === ref.threads && fastest ? formatRatio(r.median / fastest.median) : '')),
        r.rates.map(formatRate).join(' '),
      ]);
    }
  }
  process.stdout.write(renderTable([header, ...body]));
}
