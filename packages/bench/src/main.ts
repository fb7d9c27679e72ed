#!/usr/bin/env node
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, probeBackends, useBackend, type BackendName } from '@nnkit/backends';
import { measure, type Measurement } from './measure.js';
import { pytorchReference } from './reference.js';
import { layersLstmLanguageModelWorkload, lenet5Workload, lstmLanguageModelWorkload, matMulWorkload, type Workload } from './workloads.js';

// pnpm bench [--quick] [--json] [--backends wasm,cpu]: every workload on every available backend, in one run,
// with the median of several repeats and the ratio against tfjs's cpu backend.
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, backends: { type: 'string' } },
});
const quick = Boolean(values.quick);
const settings = quick ? { warmup: 1, repeats: 3, minSeconds: 0.5 } : { warmup: 2, repeats: 5, minSeconds: 2 };
const workloads: Workload[] = [matMulWorkload(), lenet5Workload(), lstmLanguageModelWorkload(), layersLstmLanguageModelWorkload()];
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
  median: number;
  rates: number[];
  vsCpu?: number;
  vsPytorch?: number;
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
    rows.push({ workload: workload.name, unit: workload.unit, backend, median: result.median, rates: result.rates });
  }
}
log('PyTorch reference (1 thread) …');
const reference = pytorchReference(quick);
if ('skipped' in reference) log(`skipping the PyTorch reference: ${reference.skipped}`);
for (const row of rows) {
  const cpu = rows.find((r) => r.workload === row.workload && r.backend === 'cpu');
  if (cpu) row.vsCpu = row.median / cpu.median;
  const torch = 'rows' in reference ? reference.rows.find((r) => r.workload === row.workload) : undefined;
  if (torch) row.vsPytorch = row.median / torch.median;
}

const format = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2));
if (values.json) {
  const pytorch = 'rows' in reference ? { version: reference.version, threads: 1, rows: reference.rows } : { skipped: reference.skipped };
  process.stdout.write(`${JSON.stringify({ quick, tfjs: tf.version.tfjs, node: process.version, settings, rows, pytorch }, null, 2)}\n`);
} else {
  const header = ['workload', 'backend', 'median', 'unit', 'vs cpu', 'vs PyTorch', 'repeats'];
  const ratio = (x: number | undefined) => (x === undefined ? '' : `${x >= 10 ? format(x) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`);
  const body = rows.map((r) => [r.workload, r.backend, format(r.median), r.unit, ratio(r.vsCpu), ratio(r.vsPytorch), r.rates.map(format).join(' ')]);
  if ('rows' in reference) {
    for (const r of reference.rows) body.push([r.workload, `pytorch ${reference.version} (1 thread)`, format(r.median), r.unit, '', '1.00×', r.rates.map(format).join(' ')]);
  }
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  for (const row of [header, ...body]) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
}
