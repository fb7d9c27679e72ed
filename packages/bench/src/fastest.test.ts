import { describe, expect, it } from 'vitest';
import { fastestReference, type Reference } from './fastest.js';

const LENET = 'LeNet-5 training, batch 64';
const LSTM = 'LSTM LM training, batch 32, seq 64, hidden 256';
const row = (workload: string, median: number) => ({
  workload,
  unit: workload === LSTM ? 'tokens/s' : 'images/s',
  median,
  rates: [median],
});
const run = (build: string, threads: number, rows: Reference['rows']): Reference => ({
  version: build.split(' ')[1]!,
  build,
  threads,
  python: `/python/${build}`,
  rows,
});

const DEBIAN = 'torch 1.13.0 (Debian, OpenBLAS)';
const PIP = 'torch 2.13.0+cpu (pip, MKL)';
const REFERENCES = [
  run(PIP, 1, [row(LENET, 5_202), row(LSTM, 14_585)]),
  run(PIP, 2, [row(LENET, 7_410), row(LSTM, 26_540)]),
  run(DEBIAN, 1, [row(LENET, 8_092), row(LSTM, 9_000)]),
  run(DEBIAN, 2, [row(LENET, 6_000)]),
];

describe('fastestReference', () => {
  it('picks the fastest build row by row and thread count by thread count, and names it', () => {
    expect(fastestReference(REFERENCES, LENET, 1)).toMatchObject({ build: DEBIAN, threads: 1, median: 8_092 });
    expect(fastestReference(REFERENCES, LSTM, 1)).toMatchObject({ build: PIP, threads: 1, median: 14_585 });
    expect(fastestReference(REFERENCES, LENET, 2)).toMatchObject({ build: PIP, threads: 2, median: 7_410 });
  });

  it('takes the one build that has a row where the others lack it', () => {
    expect(fastestReference(REFERENCES, LSTM, 2)).toMatchObject({ build: PIP, median: 26_540 });
  });

  it('gives undefined for a workload or a thread count that no run measured', () => {
    expect(fastestReference(REFERENCES, 'captioner training', 1)).toBeUndefined();
    expect(fastestReference(REFERENCES, LENET, 16)).toBeUndefined();
    expect(fastestReference([], LENET, 1)).toBeUndefined();
  });
});
