import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, nnkitOk, tempProject, tinyParityArgs } from './helpers.js';

/** Trains gru/parity (tiny) for `epochs` epochs in a new app folder with NNKIT_EVENTS set to `events`: the folder and the run. */
async function trainWithEvents(epochs: number, events: string) {
  const project = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
  const result = await nnkitOk(tinyParityArgs({ epochs, out: join(project, 'out'), flags: ['--json'] }), project, { NNKIT_EVENTS: events });
  return { project, result };
}

describe('NNKIT_EVENTS: every run of nnkit train as JSON lines, from the observer core ships', () => {
  it('appends the start, every step, every epoch with its validation metrics, and the end', async () => {
    const { project } = await trainWithEvents(2, 'events.jsonl');
    const events = readFileSync(join(project, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const of = (kind: string) => events.filter((e) => e.event === kind);
    expect(of('runStart')).toEqual([{ event: 'runStart', label: 'gru/parity', total: 512, unit: 'ex', done: 0 }]);
    expect(of('step').map((e) => e.step)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(of('step').every((e) => e.label === 'gru/parity' && typeof e.loss === 'number')).toBe(true);
    expect(of('epochEnd').map((e) => [e.epoch, e.step, typeof e.val_accuracy])).toEqual([
      [1, 8, 'number'],
      [2, 16, 'number'],
    ]);
    expect(of('runEnd')).toEqual([{ event: 'runEnd', label: 'gru/parity', seconds: expect.any(Number), step: 16 }]);
    expect(events.at(-1)!.event).toBe('runEnd');
  });

  it('a file it cannot write is said in one line, and training goes on', async () => {
    const { result } = await trainWithEvents(1, 'no/such/folder/events.jsonl');
    expect(result.stderr).toMatch(
      /^Run observer JSON lines failed in runStart\(\): ENOENT: no such file or directory, open '.*events\.jsonl'\. It hears nothing more; training goes on\.$/m,
    );
  });
});
