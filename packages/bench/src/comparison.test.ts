import { describe, expect, it } from 'vitest';
import { compare, comparisonTable, threadsOf, type NnkitRow } from './comparison.js';
import type { Reference } from './fastest.js';
import { formatRatio, renderTable } from './table.js';

const LENET = 'LeNet-5 training, batch 64';
const SEQ2SEQ = 'seq2seq + attention training';
const DEBIAN = 'torch 1.13.0 (Debian, OpenBLAS)';
const PIP = 'torch 2.13.0+cpu (pip, MKL)';
const ref = (build: string, threads: number, medians: Record<string, number>): Reference => ({
  version: build.split(' ')[1]!,
  build,
  threads,
  python: 'python3',
  rows: Object.entries(medians).map(([workload, median]) => ({ workload, unit: 'x/s', median, rates: [median] })),
});
const REFERENCES = [
  ref(PIP, 1, { [LENET]: 5_000, [SEQ2SEQ]: 12_000 }),
  ref(PIP, 2, { [LENET]: 8_000, [SEQ2SEQ]: 20_000 }),
  ref(DEBIAN, 1, { [LENET]: 8_000, [SEQ2SEQ]: 6_000 }),
  ref(DEBIAN, 2, { [LENET]: 10_000, [SEQ2SEQ]: 9_000 }),
];
const ROWS: NnkitRow[] = [
  { workload: LENET, unit: 'images/s', backend: 'tensorflow', median: 6_000 },
  { workload: LENET, unit: 'images/s', backend: 'wasm', median: 3_000 },
  { workload: SEQ2SEQ, unit: 'tokens/s', backend: 'tensorflow', median: 3_000 },
  { workload: LENET, unit: 'images/s', backend: 'tensorflow', threads: 1, median: 4_000 },
  { workload: SEQ2SEQ, unit: 'tokens/s', backend: 'tensorflow', threads: 1, median: 6_000 },
  { workload: LENET, unit: 'images/s', backend: 'webgpu', median: 50_000 },
];

describe('threadsOf', () => {
  it('counts the native backend on every core unless the run set fewer, wasm and cpu on one, a GPU on none', () => {
    expect(threadsOf(ROWS[0]!, 2)).toBe(2);
    expect(threadsOf(ROWS[3]!, 2)).toBe(1);
    expect(threadsOf(ROWS[1]!, 2)).toBe(1);
    expect(threadsOf({ ...ROWS[1]!, backend: 'cpu' }, 16)).toBe(1);
    expect(threadsOf(ROWS[5]!, 2)).toBeUndefined();
  });
});

describe('compare', () => {
  const comparisons = compare(ROWS, REFERENCES, [1, 2], 2);

  it('sets nnkit at each thread count against the fastest build at as many threads, row by row', () => {
    expect(comparisons.map((c) => c.workload)).toEqual([LENET, SEQ2SEQ]);
    const [lenet, seq2seq] = comparisons;
    // LeNet-5 at one thread: the native backend at 1 thread (4,000) beats wasm (3,000); Debian's build is fastest.
    expect(lenet!.cells[0]).toMatchObject({
      threads: 1,
      nnkit: { median: 4_000, backend: 'tensorflow' },
      pytorch: { build: DEBIAN, median: 8_000 },
      ratio: 0.5,
    });
    // The GPU row (50,000) is no thread count's: it does not stand in for nnkit on two threads.
    expect(lenet!.cells[1]).toMatchObject({
      threads: 2,
      nnkit: { median: 6_000 },
      pytorch: { build: DEBIAN, median: 10_000 },
      ratio: 0.6,
    });
    expect(seq2seq!.cells[0]).toMatchObject({
      nnkit: { median: 6_000 },
      pytorch: { build: PIP, median: 12_000 },
      ratio: 0.5,
    });
    expect(seq2seq!.cells[1]).toMatchObject({ pytorch: { build: PIP, median: 20_000 }, ratio: 0.15 });
  });

  it('leaves the ratio out where PyTorch has no such row', () => {
    const [only] = compare([{ workload: 'captioner', unit: 'images/s', backend: 'tensorflow', median: 100 }], REFERENCES, [1, 2], 2);
    expect(only!.cells[1]).toEqual({ threads: 2, nnkit: { median: 100, backend: 'tensorflow' } });
    expect(only!.cells[0]).toEqual({ threads: 1 });
  });

  it("prints a row per workload with both ratios and the build that set it, or each thread count's where they differ", () => {
    const table = comparisonTable(comparisons, [1, 2]);
    expect(table[0]).toEqual([
      'workload',
      'unit',
      'nnkit, 1 thread',
      'PyTorch, 1 thread',
      'ratio',
      'nnkit, 2 threads',
      'PyTorch, 2 threads',
      'ratio',
      'fastest PyTorch',
    ]);
    expect(table[1]).toEqual([LENET, 'images/s', '4,000 (tensorflow)', '8,000', '0.50×', '6,000 (tensorflow)', '10,000', '0.60×', DEBIAN]);
    expect(table[2]).toEqual([SEQ2SEQ, 'tokens/s', '6,000 (tensorflow)', '12,000', '0.50×', '3,000 (tensorflow)', '20,000', '0.15×', PIP]);
    const mixed = comparisonTable(
      compare(ROWS.slice(0, 1).concat(ROWS[3]!), [ref(PIP, 1, { [LENET]: 9_000 }), ref(DEBIAN, 2, { [LENET]: 9_500 })], [1, 2], 2),
      [1, 2],
    );
    expect(mixed[1]!.at(-1)).toBe(`1T: ${PIP}; 2T: ${DEBIAN}`);
  });
});

describe('renderTable', () => {
  it('pads every column to its widest cell and trims the line end', () => {
    expect(
      renderTable([
        ['a', 'bb', 'c'],
        ['ccc', 'd', ''],
      ]),
    ).toBe('a    bb  c\nccc  d\n');
  });

  it('formats ratios by size', () => {
    expect([formatRatio(undefined), formatRatio(0.5), formatRatio(0.0123), formatRatio(12.4)]).toEqual(['', '0.50×', '0.012×', '12.4×']);
  });
});
