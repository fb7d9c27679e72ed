// A real browser for the tests that open nnkit's HTML pages as a reader would (report.html, the lecture page):
// Debian's chromium, or whatever CHROMIUM_PATH names.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean) as string[];

/** The first browser installed, if any. */
export const chromiumExecutable = CHROMIUM_CANDIDATES.find((path) => existsSync(path));

/** Starts headless Chromium, kept off the network (this machine has none) and out of the sandbox root cannot use. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens `file` in a new page and collects what went wrong on it: every console error, page error and failed load. */
export async function openPage(browser: Browser, file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
  page.on('pageerror', (error) => void problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => void problems.push(`request failed: ${request.url().slice(0, 80)}`));
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems };
}
