import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lecture, type RecipeRecord } from '@nnkit/recipes';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_CANDIDATES, chromiumExecutable as executable, launchChromium, openPage } from './chromium.js';
import { nnkit, REPO_ROOT } from './helpers.js';

// `nnkit lecture` writes the whole lecture as one page; here a real browser opens it as a reader would: Debian's
// chromium, as test/report.test.ts uses it (CHROMIUM_PATH points elsewhere). Without a browser this fails and says
// how to install one: the page is the deliverable, and only a browser tells whether it shows.

const RESULTS = join(REPO_ROOT, 'results');
const records = readdirSync(RESULTS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as RecipeRecord);

interface PageView {
  readonly problems: string[];
  readonly slides: string[];
  readonly recipes: { name: string; state: string }[];
  readonly images: { alt: string; complete: boolean; width: number }[];
  readonly marks: { ok: number; bad: number };
  readonly missing: number;
  /** Where each figure links to (its PNG at full size), as the browser resolves it. */
  readonly figureLinks: string[];
  readonly text: string;
}

describe('nnkit lecture in headless Chromium', () => {
  let browser: Browser;
  const out = mkdtempSync(join(tmpdir(), 'nnkit-lecture-page-'));

  beforeAll(async () => {
    if (!executable)
      throw new Error(
        `nnkit lecture's page test expects a browser at ${CHROMIUM_CANDIDATES.join(', ')}, got none. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
      );
    browser = await launchChromium(executable);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `file` and reads what a reader sees: slides, recipes, images, ✓/✗, and every console error or failed load. */
  async function view(file: string): Promise<PageView> {
    const { page, problems } = await openPage(browser, file);
    // Evaluated in the page (as strings: this file is type-checked without the DOM's types).
    const result = await page.evaluate<Omit<PageView, 'problems'>>(`({
      slides: Array.from(document.querySelectorAll('section.slide'), (s) => s.id),
      recipes: Array.from(document.querySelectorAll('article.recipe'), (a) => ({ name: a.dataset.recipe, state: a.dataset.state })),
      images: Array.from(document.images, (img) => ({ alt: img.alt, complete: img.complete, width: img.naturalWidth })),
      marks: { ok: document.querySelectorAll('td.mark.ok').length, bad: document.querySelectorAll('td.mark.bad').length },
      missing: document.querySelectorAll('.missing').length,
      figureLinks: Array.from(document.querySelectorAll('figure a'), (a) => a.href),
      text: document.body.innerText,
    })`);
    await page.close();
    return { ...result, problems };
  }

  it("writes the page from the repository's results/: every slide in the lecture's order, each record's ✓/✗, no console error", async () => {
    const file = join(out, 'lecture.html');
    const result = await nnkit(['lecture', '--out', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`page: ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|src="(?!data:)|href="http/); // self-contained: nothing to fetch

    const shown = await view(file);
    expect(shown.problems).toEqual([]);
    expect(shown.slides).toEqual(lecture.LECTURE_SLIDES.map((s) => s.id));
    expect(shown.recipes.map((r) => r.name)).toEqual(lecture.lectureRecipes());
    // A recipe with a record in results/ shows it, with its verdict; the others say "not recorded".
    for (const { name, state } of shown.recipes) {
      const record = records.find((r) => r.recipe === `recipes/${name}`);
      expect(state, name).toBe(record ? (record.reproduced ? 'ok' : 'bad') : 'not-recorded');
    }
    const rows = records.flatMap((r) => r.rows);
    expect(shown.marks).toEqual({
      ok: rows.filter((r) => r.ok === true).length,
      bad: rows.filter((r) => r.ok === false).length,
    });
    // Each figure a record names is either inside the page, loaded, or said to be missing (results/ keeps no PNGs).
    expect(shown.images.length + shown.missing).toBe(records.reduce((n, r) => n + r.figures.length, 0));
    for (const image of shown.images) expect(image.width, image.alt).toBeGreaterThan(0);
    for (const slide of lecture.LECTURE_SLIDES) expect(shown.text).toContain(slide.topic);

    // The page is not replaced unless asked.
    const again = await nnkit(['lecture', '--out', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`nnkit lecture expects ${file} to be new, got an existing file. Pass --overwrite`);
    expect((await nnkit(['lecture', '--out', file, '--overwrite'])).code).toBe(0);
  }, 120_000);

  it('shows a fresh run’s figures inside the page, every image loaded, and links its report.html', async () => {
    const runs = join(out, 'runs');
    const recipe = await nnkit(['recipe', 'translation-invariance', '--out', runs, '--backend', 'cpu']);
    expect(recipe.code, recipe.stderr).toBe(0);
    const file = join(runs, 'lecture.html');
    const result = await nnkit(['lecture', '--results', runs, '--out', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      page: file,
      slides: lecture.LECTURE_SLIDES.length,
      recorded: 1,
      missingFigures: [],
    });

    const shown = await view(file);
    expect(shown.problems).toEqual([]);
    expect(shown.recipes.find((r) => r.name === 'translation-invariance')).toEqual({
      name: 'translation-invariance',
      state: 'ok',
    });
    expect(shown.recipes.filter((r) => r.state === 'not-recorded')).toHaveLength(lecture.lectureRecipes().length - 1);
    expect(shown.images.length).toBeGreaterThan(0);
    for (const image of shown.images) expect(image, image.alt).toMatchObject({ complete: true });
    expect(
      shown.images.every((image) => image.width > 100),
      JSON.stringify(shown.images),
    ).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('<a href="translation-invariance/report.html">full report</a>');
    expect(shown.figureLinks.length).toBe(2 * shown.images.length); // the image and its file name
    for (const href of shown.figureLinks) expect(existsSync(decodeURIComponent(new URL(href).pathname)), href).toBe(true);
  }, 120_000);

  it('refuses --quick without --run, --results with --run, and --run over an earlier run, before any work', async () => {
    const quick = await nnkit(['lecture', '--quick', '--out', join(out, 'q.html')]);
    expect(quick.code).toBe(2);
    expect(quick.stderr).toContain('--quick expects --run');
    const both = await nnkit(['lecture', '--run', '--results', RESULTS, '--out', join(out, 'b.html')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--results expects no --run');
    expect(existsSync(join(out, 'q.html')) || existsSync(join(out, 'b.html'))).toBe(false);
    // --run into a folder where a recipe's earlier run lies: refused before any recipe runs, that run kept.
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-lecture-run-'));
    mkdirSync(join(folder, 'conv-params'));
    writeFileSync(join(folder, 'conv-params', 'result.json'), '{}');
    const run = await nnkit(['lecture', '--run', '--quick', '--out', join(folder, 'lecture.html')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `nnkit lecture --run expects the recipes' folders in ${folder} to be new or empty, got earlier runs of conv-params. Pass --overwrite`,
    );
    expect(readdirSync(folder).sort()).toEqual(['conv-params']);
    expect(readFileSync(join(folder, 'conv-params', 'result.json'), 'utf8')).toBe('{}');
  }, 60_000);
});
