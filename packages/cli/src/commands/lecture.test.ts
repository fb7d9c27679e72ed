import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKit, silentProgress } from '@nnkit/kit';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../builtin-plugins.js';
import { UsageError } from '../usage-error.js';
import { runEveryRecipe } from './lecture.js';

// What `nnkit lecture --run` does before writing the page, on two recipes that take a blink (the whole lecture takes
// hours): each into <out>/<recipe> as `nnkit recipe` would, one progress line per recipe on a pipe.
describe('nnkit lecture --run', () => {
  it('runs the recipes into the page’s folder with one progress line, skips one this nnkit lacks, and refuses to run over them unless told', async () => {
    const kit = await createKit({ plugins: await builtinPlugins(), backend: 'cpu', progress: silentProgress() });
    const out = mkdtempSync(join(tmpdir(), 'nnkit-lecture-run-'));
    const written: string[] = [];
    const stream = { write: (text: string) => void written.push(text) };
    const outcomes = await runEveryRecipe(kit, ['conv-params', 'not-in-this-nnkit', 'maxpool-backprop'], out, {
      quick: true,
      overwrite: false,
      stream,
    });

    expect(outcomes.map((o) => [o.name, o.reproduced, o.error])).toEqual([
      ['conv-params', true, undefined],
      ['maxpool-backprop', true, undefined],
    ]);
    expect(written.join('')).toMatch(
      /^lecture: 0\/2 recipes, conv-params … \(\d+s\)\nlecture: 1\/2 recipes, maxpool-backprop … \(\d+s\)\nlecture: 2\/2 recipes in \d+s\n$/,
    );
    for (const name of ['conv-params', 'maxpool-backprop']) {
      expect(JSON.parse(readFileSync(join(out, name, 'result.json'), 'utf8'))).toMatchObject({
        recipe: `recipes/${name}`,
        quick: true,
        reproduced: true,
      });
      expect(existsSync(join(out, name, 'report.html'))).toBe(true);
    }
    expect(existsSync(join(out, 'not-in-this-nnkit'))).toBe(false);

    await expect(runEveryRecipe(kit, ['conv-params'], out, { quick: true, overwrite: false, stream })).rejects.toThrow(UsageError);
    const again = await runEveryRecipe(kit, ['conv-params'], out, { quick: false, overwrite: true, stream });
    expect(again).toMatchObject([{ name: 'conv-params', reproduced: true }]);
    expect(JSON.parse(readFileSync(join(out, 'conv-params', 'result.json'), 'utf8'))).toMatchObject({ quick: false });
  }, 60_000);
});
