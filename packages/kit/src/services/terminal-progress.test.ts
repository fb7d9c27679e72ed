import { describe, expect, it } from 'vitest';
import { formatDuration, terminalProgress } from './terminal-progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (c: string) => chunks.push(c) } };
}

describe('terminalProgress', () => {
  it('on a terminal, redraws one bar in place with ETA, throughput and metrics', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(true);
    const task = terminalProgress(stream, { now: () => now, intervalMs: 100 }).start('lenet5', {
      total: 1000,
      unit: 'ex',
    });
    now = 1000;
    task.update(250, { loss: 0.5 });
    now = 1050;
    task.update(260, { loss: 0.4 }); // within the interval: not drawn
    now = 2000;
    task.end({ loss: 0.25 });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatch(/^\rlenet5  \[======\s+\]  250\/1000  ETA 3s  250 ex\/s  loss 0\.5000/);
    expect(chunks[1]).toMatch(/^\rlenet5 .* 260\/1000  in 2s  130 ex\/s  loss 0\.2500\x1b\[K\n$/);
  });

  it('elsewhere (CI, pipes), prints plain lines at most once per interval', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(false);
    const task = terminalProgress(stream, { now: () => now, intervalMs: 5000 }).start('rnn', {
      total: 10,
      unit: 'step',
    });
    for (let i = 1; i <= 10; i++) {
      now = i * 1000;
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
    let now = 0;
    const { chunks, stream } = fakeStream(false);
    const task = terminalProgress(stream, { now: () => now, intervalMs: 0 }).start('lenet5', {
      total: 100_000,
      unit: 'ex',
      done: 90_000,
    });
    now = 1; // the first batch, a millisecond after a resume at 90,000 examples
    task.update(90_032);
    now = 2000;
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
