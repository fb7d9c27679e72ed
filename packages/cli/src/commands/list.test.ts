import { describe, expect, it } from 'vitest';
import { runNnkit as nnkit } from '../run-nnkit.fixture.js';

describe('nnkit list tasks', () => {
  it('lists the built-in kinds of data, each with its plugin', async () => {
    const result = await nnkit(['list', 'tasks', '--json', '--backend', 'cpu', '--no-discover']);
    expect(result.code, result.stderr).toBe(0);
    const { tasks } = JSON.parse(result.stdout) as { tasks: { name: string; plugin: string }[] };
    expect(tasks.map((t) => t.name)).toEqual([
      'pos/tagged-sentences',
      'tasks/captioned-images',
      'tasks/labelled-images',
      'tasks/sequence-pairs',
      'tasks/speech-transcripts',
      'tasks/token-streams',
    ]);
    expect(new Set(tasks.map((t) => t.plugin))).toEqual(new Set(['@nnkit/plugin-pos-tagging', '@nnkit/plugin-tasks']));

    const text = await nnkit(['list', 'tasks', '--backend', 'cpu', '--no-discover']);
    expect(text.stdout).toMatch(/^tasks:\n {2}pos\/tagged-sentences +sentences with a tag per word/);
    expect(text.stdout).toMatch(/\n {2}tasks\/captioned-images +images and their captions/);
  }, 60_000);

  it('is among the kinds a plain list shows, and a near miss is named', async () => {
    const all = await nnkit(['list', '--json', '--backend', 'cpu', '--no-discover']);
    expect(Object.keys(JSON.parse(all.stdout) as object)).toContain('tasks');
    const typo = await nnkit(['list', 'task', '--backend', 'cpu']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/list expects one of models, cells, encoders, datasets, recipes, tasks, got 'task'\. Did you mean tasks\?/);
  }, 60_000);
});
