import { fastestReference, type FastestReference, type Reference } from './fastest.js';
import { formatRate, formatRatio } from './table.js';

/** One measured nnkit row, as the bench records it. */
export interface NnkitRow {
  readonly workload: string;
  readonly unit: string;
  readonly backend: string;
  /** TensorFlow's intra-op threads, where the run set them. */
  readonly threads?: number;
  readonly median: number;
}

/** nnkit and the fastest PyTorch on one workload at one thread count. */
export interface ComparisonCell {
  readonly threads: number;
  /** nnkit's fastest backend at these threads. */
  readonly nnkit?: { readonly median: number; readonly backend: string };
  readonly pytorch?: FastestReference;
  /** nnkit over PyTorch: 1.0 is PyTorch's speed. */
  readonly ratio?: number;
}

export interface Comparison {
  readonly workload: string;
  readonly unit: string;
  readonly cells: readonly ComparisonCell[];
}

/**
 * The threads a row of nnkit ran on: the native backend on every core unless the run set fewer, wasm and tfjs's cpu
 * backend on one; undefined for a GPU, which is not set against PyTorch on the CPU's threads.
 */
export function threadsOf(row: NnkitRow, cores: number): number | undefined {
  if (row.backend === 'tensorflow') return row.threads ?? cores;
  return row.backend === 'wasm' || row.backend === 'cpu' ? 1 : undefined;
}

/** Per workload (in the order measured) and thread count: nnkit's fastest backend against the fastest PyTorch build. */
export function compare(
  rows: readonly NnkitRow[],
  references: readonly Reference[],
  threadCounts: readonly number[],
  cores: number,
): Comparison[] {
  const workloads = [...new Map(rows.map((row) => [row.workload, row.unit])).entries()];
  return workloads.map(([workload, unit]) => ({
    workload,
    unit,
    cells: threadCounts.map((threads) => {
      const nnkit = rows
        .filter((row) => row.workload === workload && threadsOf(row, cores) === threads)
        .sort((a, b) => b.median - a.median)[0];
      const pytorch = fastestReference(references, workload, threads);
      return {
        threads,
        ...(nnkit && { nnkit: { median: nnkit.median, backend: nnkit.backend } }),
        ...(pytorch && { pytorch }),
        ...(nnkit && pytorch && { ratio: nnkit.median / pytorch.median }),
      };
    }),
  }));
}

const threadWord = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

/**
 * The table the bench leads with: per workload, nnkit at each thread count against the fastest PyTorch at as many,
 * the ratio, and the PyTorch build that set each row (one name where one build was fastest at every thread count).
 */
export function comparisonTable(comparisons: readonly Comparison[], threadCounts: readonly number[]): string[][] {
  const header = [
    'workload',
    'unit',
    ...threadCounts.flatMap((t) => [`nnkit, ${threadWord(t)}`, `PyTorch, ${threadWord(t)}`, 'ratio']),
    'fastest PyTorch',
  ];
  const body = comparisons.map(({ workload, unit, cells }) => {
    const builds = [...new Set(cells.flatMap((cell) => (cell.pytorch ? [cell.pytorch.build] : [])))];
    const setBy =
      builds.length <= 1
        ? (builds[0] ?? 'none')
        : cells.flatMap((cell) => (cell.pytorch ? [`${cell.threads}T: ${cell.pytorch.build}`] : [])).join('; ');
    return [
      workload,
      unit,
      ...cells.flatMap((cell) => [
        cell.nnkit ? `${formatRate(cell.nnkit.median)} (${cell.nnkit.backend})` : '',
        cell.pytorch ? formatRate(cell.pytorch.median) : '',
        formatRatio(cell.ratio),
      ]),
      setBy,
    ];
  });
  return [header, ...body];
}
