import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageGridFigure, writeFigure } from '@nnkit/viz';
import { describe, expect, it } from 'vitest';
import recipesPlugin from '../index.js';
import { formatJson, writeRecipeRecord, type RecipeRecord } from '../record/index.js';
import {
  LECTURE_SLIDES,
  lectureProgressLine,
  lectureRecipes,
  readLectureEntries,
  renderLecturePage,
  runLectureRecipes,
  type LectureSlide,
} from './index.js';

/** A record as `nnkit recipe` writes it, for recipe `name`; `rows` and `figures` as the test needs. */
function fakeRecord(name: string, more: Partial<RecipeRecord> = {}): RecipeRecord {
  return {
    format: 'nnkit-recipe-result',
    version: 1,
    recipe: `recipes/${name}`,
    description: `the recipe ${name}`,
    reproduces: `What ${name} claims.`,
    quick: false,
    reproduced: true,
    rows: [{ quantity: 'a number', target: '≤ 1', measured: '0.5', ok: true }],
    settings: { quick: false },
    figures: [],
    environment: {
      backend: { name: 'cpu', requested: 'cpu' },
      versions: { node: 'v20', tfjs: '4.22.0', '@nnkit/core': '2.0.0', '@nnkit/recipes': '1.1.0', plugins: {} },
      machine: { os: 'linux', arch: 'x64', cpu: 'a cpu', cores: 2, memoryGiB: 8 },
      commit: null,
    },
    started: '2026-12-01T10:00:00.000Z',
    seconds: 1.5,
    ...more,
  };
}

const SLIDES: LectureSlide[] = [
  {
    id: 'definition',
    topic: 'A definition',
    claim: 'Tensors <are> arrays & "more".',
    recipes: [],
    nothing: 'A definition: nothing to reproduce.',
  },
  { id: 'first', topic: 'The first recipe', claim: 'One recipe.', recipes: ['alpha'] },
  { id: 'second', topic: 'Two recipes', claim: 'Two of them.', recipes: ['beta', 'gamma'] },
];

/** The order in which `attribute` values appear in the page. */
const inOrder = (html: string, attribute: string) => [...html.matchAll(new RegExp(`${attribute}="([^"]+)"`, 'g'))].map((m) => m[1]);

describe('the lecture outline', () => {
  it('names every recipe nnkit ships, each once, and says why a slide without one has nothing to reproduce', () => {
    const shipped = recipesPlugin().recipes!.map((r) => r.name);
    const named = lectureRecipes();
    expect(new Set(named).size).toBe(named.length);
    for (const name of shipped) expect(named, `${name} is on no slide`).toContain(name);
    expect(new Set(LECTURE_SLIDES.map((s) => s.id)).size).toBe(LECTURE_SLIDES.length);
    for (const slide of LECTURE_SLIDES) expect(slide.recipes.length > 0 || (slide.nothing ?? '').length > 0, slide.id).toBe(true);
    // The lecture's order: convolutions first, then recurrent networks, then sequence to sequence.
    expect(named.indexOf('conv-params')).toBeLessThan(named.indexOf('lenet5-mnist'));
    expect(named.indexOf('lenet5-mnist')).toBeLessThan(named.indexOf('bptt-check'));
    expect(named.indexOf('bptt-check')).toBeLessThan(named.indexOf('long-memory'));
    expect(named.indexOf('attention-bottleneck')).toBeLessThan(named.indexOf('handwriting'));
  });
});

describe('the lecture page', () => {
  it('shows every slide in order, the rows’ ✓/✗ as recorded, figures inlined, and says what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-lecture-'));
    // alpha as `nnkit recipe --out dir` leaves it: result.json, report.html and one of its two figures.
    const alphaFolder = join(dir, 'alpha');
    await writeFigure(
      join(alphaFolder, 'square.png'),
      imageGridFigure({ title: 'A square', tiles: [{ values: [0, 1, 1, 0], width: 2, height: 2 }] }),
    );
    const alpha = fakeRecord('alpha', {
      reproduced: false,
      rows: [
        { quantity: 'error', target: '≤ 1%', measured: '0.8%', ok: true },
        { quantity: 'perplexity', target: '≤ 185', measured: '340', ok: false },
        { quantity: 'time', target: '—', measured: '3 s' },
      ],
      figures: ['square.png', 'gone.png'],
    });
    writeRecipeRecord(alphaFolder, { ...alpha, figures: ['square.png'] });
    writeFileSync(join(alphaFolder, 'result.json'), formatJson(alpha)); // as if gone.png were deleted after the run
    // beta as results/ keeps it: <name>.json alone, with a claim that must be escaped.
    writeFileSync(
      join(dir, 'beta.json'),
      formatJson(fakeRecord('beta', { reproduces: '<script>alert("x")</script> & more', summary: 'x' })),
    );
    // gamma: no record at all.

    const entries = readLectureEntries(dir, lectureRecipes(SLIDES));
    const html = renderLecturePage({
      slides: SLIDES,
      entries,
      pageDir: dir,
      source: 'a test folder',
      written: new Date('2026-12-07T06:00:00Z'),
    });

    expect(inOrder(html, 'data-slide')).toEqual(['1', '2', '3']);
    expect(inOrder(html, 'data-recipe')).toEqual(['alpha', 'beta', 'gamma']);
    expect(inOrder(html, 'data-state')).toEqual(['bad', 'ok', 'not-recorded']);
    expect(html).toContain('<p class="nothing">A definition: nothing to reproduce.</p>');
    expect(html).toContain('Tensors &lt;are&gt; arrays &amp; &quot;more&quot;.');
    // ✓/✗ exactly as the record's rows: one ✓ and one ✗ for alpha, one ✓ for beta, none for the unchecked row.
    expect(html.match(/<td class="mark ok">✓<\/td>/g)).toHaveLength(2);
    expect(html.match(/<td class="mark bad">✗<\/td>/g)).toHaveLength(1);
    expect(html).toContain('<td class="mark"></td><td>time</td>');
    expect(html).toContain('1 of 2 checks fall short ✗');
    // The figure inside the page; the missing one said in words, not a broken image.
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="A square"/);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('<a href="alpha/square.png" title="open at full size"><img'); // the PNG beside the record, at full size
    expect(html).toContain('Figure <code>gone.png</code>: not beside this record (<code>nnkit recipe alpha</code> draws it).');
    // Links relative to the page: alpha's report.html and record, beta's record only (there is no report beside it).
    expect(html).toContain('<a href="alpha/report.html">full report</a>');
    expect(html).toContain('<a href="beta.json">record</a>');
    expect(html).toContain('<p class="not-recorded">Not recorded. Record it with <code>nnkit recipe gamma</code>.</p>');
    for (const name of ['alpha', 'beta']) expect(html).toContain(`<p>Reproduce it: <code>nnkit recipe ${name}</code></p>`);
    // Escaped everywhere: no script, nothing fetched.
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toMatch(/<script|src="(?!data:)|href="http/);
    expect(html).toContain('3 recipes: 2 recorded (1 reproduced), 1 not recorded.');
  });

  it('reads an unreadable or misnamed record as a problem on its slide, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-lecture-'));
    writeFileSync(join(dir, 'alpha.json'), '{ not json');
    writeFileSync(join(dir, 'beta.json'), formatJson(fakeRecord('gamma')));
    mkdirSync(join(dir, 'gamma'));
    writeFileSync(join(dir, 'gamma', 'result.json'), JSON.stringify({ format: 'something else' }));
    const entries = readLectureEntries(dir, ['alpha', 'beta', 'gamma']);
    expect(entries.get('alpha')).toMatchObject({ problem: expect.stringContaining('is unreadable') });
    expect(entries.get('beta')).toMatchObject({
      problem: expect.stringContaining('holds the record of recipes/gamma, not of beta'),
    });
    expect(entries.get('gamma')).toMatchObject({
      problem: expect.stringContaining('is not a record that nnkit recipe writes'),
    });
    const html = renderLecturePage({ slides: SLIDES, entries, pageDir: dir, source: 'x', written: new Date() });
    expect(inOrder(html, 'data-state')).toEqual(['not-recorded', 'not-recorded', 'not-recorded']);
  });
});

describe('a lecture run', () => {
  it('runs every recipe in order with one progress line, goes on past a failure, and the page shows the fresh records', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nnkit-lecture-run-'));
    const ran: string[] = [];
    // Two tiny recipes as the CLI's runner would run them: each writes its record into <outDir>/<name>.
    let clock = 0;
    const runRecipe = async (name: string) => {
      ran.push(name);
      clock += 60_000; // each takes a minute
      if (name === 'gamma') throw new Error('out of memory');
      const record = fakeRecord(name, {
        quick: true,
        rows: [{ quantity: 'fresh', target: 'yes', measured: 'yes', ok: true }],
      });
      writeRecipeRecord(join(outDir, name), record);
      return record;
    };
    const lines: string[] = [];
    const outcomes = await runLectureRecipes({
      names: ['alpha', 'beta', 'gamma'],
      runRecipe,
      onProgress: (p) => lines.push(lectureProgressLine(p)),
      now: () => clock,
    });

    expect(ran).toEqual(['alpha', 'beta', 'gamma']);
    expect(outcomes.map((o) => [o.name, o.reproduced, o.error])).toEqual([
      ['alpha', true, undefined],
      ['beta', true, undefined],
      ['gamma', undefined, 'out of memory'],
    ]);
    expect(lines).toEqual([
      'lecture: 0/3 recipes, alpha … (0s)',
      'lecture: 1/3 recipes, beta … (1m00s)',
      'lecture: 2/3 recipes, gamma … (2m00s)',
      'lecture: 3/3 recipes in 3m00s',
    ]);

    const failures = new Map(outcomes.filter((o) => o.error).map((o) => [o.name, o.error!]));
    const html = renderLecturePage({
      slides: SLIDES,
      entries: readLectureEntries(outDir, lectureRecipes(SLIDES), failures),
      pageDir: outDir,
      source: 'a run',
      written: new Date(),
    });
    expect(inOrder(html, 'data-state')).toEqual(['ok', 'ok', 'not-recorded']);
    expect(html).toContain('<td>fresh</td>');
    expect(html).toContain('quick run of 2026-12-01');
    expect(html).toContain('Not recorded: the run failed (out of memory). Record it with <code>nnkit recipe gamma</code>.');
    expect(html).toContain('3 recipes: 2 recorded (2 reproduced, 2 quick runs), 1 not recorded.');
  });
});
