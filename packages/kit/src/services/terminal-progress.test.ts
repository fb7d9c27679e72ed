import type { ProgressReporter } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { formatDuration, terminalProgress } from './terminal-progress.js';

/** A task of terminalProgress on a fake stream (100 columns) whose clock reads `clock.now`, and what it wrote. */
function fakeTask(isTTY: boolean, intervalMs: number, ...[label, options]: Parameters<ProgressReporter['start']>) {
  const chunks: string[] = [];
  const clock = { now: 0 };
  const stream = { isTTY, columns: 100, write: (c: string) => chunks.push(c) };
  const task = terminalProgress(stream, { now: () => clock.now, intervalMs }).start(label, options);
  return { chunks, clock, task };
}

describe('terminalProgress', () => {
  it('on a terminal, redraws one bar in place with ETA, throughput and metrics', () => {
    const { chunks, clock, task } = fakeTask(true, 100, 'lenet5', { total: 1000, unit: 'ex' });
    clock.now = 1000;
    task.update(250, { loss: 0.5 });
    clock.now = 1050;
    task.update(260, { loss: 0.4 }); // within the interval: not drawn
    clock.now = 2000;
    task.end({ loss: 0.25 });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatch(/^\rlenet5  \[======\s+\]  250\/1000  ETA 3s  250 ex\/s  loss 0\.5000/);
    expect(chunks[1]).toMatch(/^\rlenet5 .* 260\/1000  in 2s  130 ex\/s  loss 0\.2500\x1b\[K\n$/);
  });

  it('elsewhere (CI, pipes), prints plain lines at most once per interval', () => {
    const { chunks, clock, task } = fakeTask(false, 5000, 'rnn', { total: 10, unit: 'step' });
    for (let i = 1; i <= 10; i++) {
      clock.now = i * 1000;
      task.update(i, { perplexity: 120 + i });
    }
    task.end();
    expect(chunks.every((c) => !c.includes('\r') && c.endsWith('\n'))).toBe(true);
    expect(chunks).toEqual([
      'rnn  1/10  ETA 9s  1.0 step/s  perplexity 121\n',
      'rnn  6/10  ETA 4s  1.0 step/s  perplexity 126\n',
      'rnn  10/10  in 10s  1.0 step/s  perplexity 130\n',
    ]);
  });

  it('shows no rate before half a second, and counts only the work done since the start (a resumed run)', () => {
    const { chunks, clock, task } = fakeTask(false, 0, 'lenet5', { total: 100_000, unit: 'ex', done: 90_000 });
    clock.now = 1; // the first batch, a millisecond after a resume at 90,000 examples
    task.update(90_032);
    clock.now = 2000;
    task.update(91_000);
    expect(chunks).toEqual(['lenet5  90032/100000  ETA ?\n', 'lenet5  91000/100000  ETA 18s  500 ex/s\n']);
  });

  it('formats durations a person can read', () => {
    expect([formatDuration(4.4), formatDuration(75), formatDuration(3725), formatDuration(Infinity)]).toEqual([
      '4s',
      '1m15s',
      '1h02m',
      '?',
    ]);
  });
});
