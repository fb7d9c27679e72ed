import type { ProgressReporter } from '@nnkit/core';

export interface StreamLike {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The least time a throughput is measured over: right after the start, a batch that happened to finish at once
 * would show an absurd rate (millions of examples per second).
 */
const MIN_RATE_SECONDS = 0.5;

function formatMetric(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(2) : value.toFixed(4);
}

function formatMetrics(metrics: Readonly<Record<string, number>> | undefined): string {
  return Object.entries(metrics ?? {})
    .map(([k, v]) => `${k} ${formatMetric(v)}`)
    .join('  ');
}

export function terminalProgress(
  stream: StreamLike = process.stderr,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const interactive = Boolean(stream.isTTY);
  const intervalMs = options.intervalMs ?? (interactive ? 100 : 5000);
  return {
    log: (message) => void stream.write(`${message}\n`),
    start(label, { total, unit = 'it', done: before = 0 } = {}) {
      const started = now();
      let lastDraw = -Infinity;
      let last = { done: before, metrics: undefined as Readonly<Record<string, number>> | undefined };
      const line = (final: boolean): string => {
        const elapsed = (now() - started) / 1000;
        // Units per second of what was done since the start, once there is time enough to tell (else no rate).
        const rate = elapsed >= MIN_RATE_SECONDS ? Math.max(0, last.done - before) / elapsed : undefined;
        const parts = [label];
        if (total !== undefined && total > 0) {
          const fraction = Math.min(1, last.done / total);
          if (interactive) {
            const width = 24;
            const filled = Math.round(fraction * width);
            parts.push(`[${'='.repeat(filled)}${' '.repeat(width - filled)}]`);
          }
          parts.push(`${last.done}/${total}`);
          parts.push(final ? `in ${formatDuration(elapsed)}` : `ETA ${formatDuration(rate ? (total - last.done) / rate : Infinity)}`);
        } else {
          parts.push(`${last.done} ${unit}`, formatDuration(elapsed));
        }
        if (rate !== undefined) parts.push(`${rate >= 100 ? Math.round(rate) : rate.toFixed(1)} ${unit}/s`);
        const metrics = formatMetrics(last.metrics);
        if (metrics) parts.push(metrics);
        return parts.join('  ');
      };
      const draw = (final: boolean) => {
        lastDraw = now();
        if (interactive) {
          const text = line(final);
          const columns = stream.columns ?? 120;
          stream.write(`\r${text.slice(0, columns - 1).padEnd(Math.min(columns - 1, text.length))}\x1b[K${final ? '\n' : ''}`);
        } else {
          stream.write(`${line(final)}\n`);
        }
      };
      return {
        update(done, metrics) {
          last = { done, metrics: metrics ?? last.metrics };
          if (now() - lastDraw >= intervalMs) draw(false);
        },
        end(metrics) {
          if (metrics) last = { ...last, metrics };
          draw(true);
        },
      };
    },
  };
}

/** A reporter that says nothing: for tests, and for applications that show progress their own way. */
export function silentProgress(): ProgressReporter {
  return { log: () => {}, start: () => ({ update: () => {}, end: () => {} }) };
}
