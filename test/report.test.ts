import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_CANDIDATES, chromiumExecutable as executable, launchChromium, openPage } from './chromium.js';
import { nnkit, REPO_ROOT } from './helpers.js';

// `nnkit recipe` writes report.html beside its figures; here a real browser opens it as a reader would. The browser
// is Debian's chromium (`.ci/run` installs it; CHROMIUM_PATH points elsewhere). Without one the suite is skipped and
// says why, unless NNKIT_TEST_REQUIRE_CHROMIUM is set (as in CI), where its absence fails the run.
const required = Boolean(process.env.NNKIT_TEST_REQUIRE_CHROMIUM);
const SCREENSHOTS = join(REPO_ROOT, 'nnkit-out', 'test-screenshots');

// Two recipes with different figures: heatmap panels (translation-invariance) and a line chart (vanishing-gradients).
const RECIPES = ['translation-invariance', 'vanishing-gradients'];

describe.skipIf(!executable && !required)(
  `report.html in headless Chromium${executable ? '' : ' (skipped: no chromium; apt-get install chromium)'}`,
  () => {
    let browser: Browser;
    const out = mkdtempSync(join(tmpdir(), 'nnkit-report-'));

    beforeAll(async () => {
      if (!executable)
        throw new Error(
          `NNKIT_TEST_REQUIRE_CHROMIUM is set but no browser is installed at ${CHROMIUM_CANDIDATES.join(', ')}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
        );
      for (const recipe of RECIPES) {
        const result = await nnkit(['recipe', recipe, '--out', out, '--backend', 'cpu']);
        if (result.code !== 0) throw new Error(`nnkit recipe ${recipe} failed: ${result.stderr}`);
      }
      browser = await launchChromium(executable);
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
    });

    it.each(RECIPES)(
      '%s: renders without console errors, every image loaded, and leaves a screenshot',
      async (recipe) => {
        const report = join(out, recipe, 'report.html');
        const html = readFileSync(report, 'utf8');
        expect(html).not.toMatch(/<script|src="(?!data:)|href="http/); // self-contained: nothing to fetch
        const { page, problems } = await openPage(browser, report);
        // Evaluated in the page (as strings: this file is type-checked without the DOM's types).
        const images = await page.evaluate<{ alt: string; complete: boolean; width: number }[]>(
          'Array.from(document.images, (img) => ({ alt: img.alt, complete: img.complete, width: img.naturalWidth }))',
        );
        expect(images.length).toBeGreaterThan(0);
        for (const image of images) expect(image, image.alt).toMatchObject({ complete: true, width: expect.any(Number) });
        expect(
          images.every((image) => image.width > 100),
          JSON.stringify(images),
        ).toBe(true);
        // What a reader sees first: the recipe, the claim, the verdict; then a table with a ✓.
        const text = await page.evaluate<string>('document.body.innerText');
        expect(text).toContain(recipe);
        expect(text).toContain('The claim:');
        expect(text).toMatch(/Reproduced: \d+ of \d+ checks ✓/);
        for (const section of ['Lecture or paper against nnkit', 'Figures', 'Settings', 'Environment']) expect(text).toContain(section);
        // Each figure links to its PNG beside the page, at full size.
        const links = await page.evaluate<{ href: string; image: boolean }[]>(
          "Array.from(document.querySelectorAll('figure a'), (a) => ({ href: a.href, image: a.querySelector('img') !== null }))",
        );
        expect(links.filter((l) => l.image).length).toBe(images.length);
        for (const { href } of links) expect(existsSync(new URL(href).pathname), href).toBe(true);
        mkdirSync(SCREENSHOTS, { recursive: true });
        const screenshot = join(SCREENSHOTS, `report-${recipe}.png`);
        await page.screenshot({ path: screenshot, fullPage: true });
        expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
        expect(problems).toEqual([]);
        await page.close();
      },
      60_000,
    );
  },
);
