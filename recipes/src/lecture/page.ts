import { relative, sep } from 'node:path';
import { PIXEL_RATIO } from '@nnkit/viz';
import { rowsTableHtml, verdictBadge } from '../record/rows-html.js';
import { verdictOf } from '../record/verdict.js';
import type { EmbeddedFigure } from './embed.js';
import type { LectureEntry } from './records.js';
import { LECTURE_SOURCE, LECTURE_TITLE, type LectureSlide } from './slides.js';

export interface LecturePageOptions {
  readonly slides: readonly LectureSlide[];
  /** By recipe name: every recipe a slide names (a name without an entry reads as not recorded). */
  readonly entries: ReadonlyMap<string, LectureEntry>;
  /** The folder the page is written to: links to reports and records are relative to it. */
  readonly pageDir: string;
  /** Where the records came from, one line: "results/ (records of full runs)". */
  readonly source: string;
  readonly written: Date;
}

const escape = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
/** The little markdown a record's summary uses: `code` and **bold**, after escaping. */
const inline = (text: string) =>
  escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
/** A file as a link from the page's folder: relative, each part URL-encoded. */
const linkTo = (pageDir: string, file: string) => escape(relative(pageDir, file).split(sep).map(encodeURIComponent).join('/'));

const STYLE = `
  :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --ok: #1e7e34; --bad: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
  main { max-width: 1100px; margin: 0 auto; padding: 32px 24px 48px; background: white; }
  .kicker { margin: 0; color: var(--muted); font-size: 13px; }
  h1 { margin: 4px 0 12px; font-size: 28px; }
  nav ol { columns: 2; column-gap: 40px; font-size: 14px; }
  nav li { break-inside: avoid; overflow-wrap: anywhere; }
  nav code { font-size: 12px; }
  section.slide { border-top: 2px solid var(--line); margin-top: 36px; padding-top: 8px; }
  section.slide > h2 { font-size: 21px; margin: 8px 0; }
  .claim { font-size: 16px; margin: 0 0 12px; }
  .nothing, .not-recorded { color: var(--muted); }
  article.recipe { margin: 18px 0 0 0; padding-left: 14px; border-left: 3px solid var(--line); }
  article.recipe h3 { margin: 0 0 6px; font-size: 17px; }
  .verdict { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 14px; }
  .verdict.ok { background: #e6f4ea; color: var(--ok); }
  .verdict.bad { background: #fce8e6; color: var(--bad); }
  .verdict.smoke { background: #f1f3f4; color: var(--muted); }
  table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
  th, td { text-align: left; vertical-align: top; padding: 6px 9px; border-bottom: 1px solid var(--line); }
  th { color: var(--muted); font-weight: 600; }
  td.mark { width: 2em; text-align: center; font-weight: 700; }
  td.mark.ok { color: var(--ok); } td.mark.bad { color: var(--bad); }
  code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f3f4; padding: 1px 4px; border-radius: 3px; }
  figure { margin: 10px 0 18px; }
  figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
  figcaption, .missing, .files { color: var(--muted); font-size: 13px; }
  footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
`;

function figureHtml(figure: EmbeddedFigure, recipe: string, pageDir: string): string {
  if ('missing' in figure) {
    return `<p class="missing" data-figure="${escape(figure.file)}">Figure <code>${escape(figure.file)}</code>: ${escape(figure.missing)} (<code>nnkit recipe ${escape(recipe)}</code> draws it).</p>`;
  }
  const size = `width="${Math.round(figure.width / PIXEL_RATIO)}" height="${Math.round(figure.height / PIXEL_RATIO)}"`;
  // The image links to its PNG beside the record: the figure at full size, pixels not scaled to the column.
  const href = linkTo(pageDir, figure.path);
  return `<figure><a href="${href}" title="open at full size"><img src="${figure.dataUri}" alt="${escape(figure.title)}" ${size}></a><figcaption>${escape(figure.title)} — <a href="${href}"><code>${escape(figure.file)}</code></a></figcaption></figure>`;
}

function recipeHtml(name: string, entry: LectureEntry | undefined, pageDir: string): string {
  const command = `<p>Reproduce it: <code>nnkit recipe ${escape(name)}</code></p>`;
  if (!entry || 'problem' in entry) {
    const problem = entry?.problem ?? 'not recorded';
    const text = problem.charAt(0).toUpperCase() + problem.slice(1);
    return `<article class="recipe" data-recipe="${escape(name)}" data-state="not-recorded">\n<h3>${escape(name)}</h3>\n<p class="not-recorded">${escape(text)}. Record it with <code>nnkit recipe ${escape(name)}</code>.</p>\n</article>`;
  }
  const { record } = entry;
  const verdict = verdictBadge(record.rows);
  const run = `${record.quick ? 'quick run' : 'full run'} of ${record.started.slice(0, 10)}, ${record.environment?.backend?.name ?? 'unknown backend'}, ${record.seconds.toFixed(1)} s`;
  const links = [
    ...(entry.reportFile ? [`<a href="${linkTo(pageDir, entry.reportFile)}">full report</a>`] : []),
    `<a href="${linkTo(pageDir, entry.recordFile)}">record</a> (<code>${escape(relative(pageDir, entry.recordFile))}</code>)`,
  ];
  return `<article class="recipe" data-recipe="${escape(name)}" data-state="${verdict.className}">
<h3>${escape(name)}</h3>
<p class="claim"><strong>The claim:</strong> ${inline(record.reproduces)}</p>
<p><span class="verdict ${verdict.className}">${escape(verdict.text)}</span> <span class="files">${escape(run)}</span></p>
${rowsTableHtml(record.rows, inline)}
${entry.figures.map((figure) => figureHtml(figure, name, pageDir)).join('\n')}
${command}
<p class="files">${links.join(' · ')}</p>
</article>`;
}

function slideHtml(slide: LectureSlide, index: number, entries: ReadonlyMap<string, LectureEntry>, pageDir: string): string {
  const body =
    slide.recipes.length === 0
      ? `<p class="nothing">${escape(slide.nothing ?? 'Nothing to reproduce.')}</p>`
      : slide.recipes.map((name) => recipeHtml(name, entries.get(name), pageDir)).join('\n');
  return `<section class="slide" id="${escape(slide.id)}" data-slide="${index + 1}">
<h2>${index + 1}. ${escape(slide.topic)}</h2>
<p class="claim">${escape(slide.claim)}</p>
${body}
</section>`;
}

/**
 * The lecture as one self-contained page: every slide in order with its claim, and for each recipe that reproduces it
 * the record's rows (✓/✗ as recorded), its figures inlined as data: URIs, the command and links to its files. No
 * script and nothing fetched: it opens anywhere.
 */
export function renderLecturePage({ slides, entries, pageDir, source, written }: LecturePageOptions): string {
  const names = slides.flatMap((s) => s.recipes);
  const recorded = names
    .map((n) => entries.get(n))
    .filter((e): e is Extract<LectureEntry, { record: unknown }> => e !== undefined && 'record' in e);
  const reproduced = recorded.filter((e) => verdictOf(e.record.rows).reproduced).length;
  const quick = recorded.filter((e) => e.record.quick).length;
  const tally = `${names.length} recipes: ${recorded.length} recorded (${reproduced} reproduced${quick > 0 ? `, ${quick} quick runs` : ''}), ${names.length - recorded.length} not recorded.`;
  const contents = slides
    .map(
      (s) =>
        `<li><a href="#${escape(s.id)}">${escape(s.topic)}</a>${s.recipes.length > 0 ? ` <code>${s.recipes.map(escape).join('</code> <code>')}</code>` : ''}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nnkit lecture: ${escape(LECTURE_TITLE)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="kicker">nnkit lecture · ${escape(LECTURE_SOURCE)}</p>
<h1>${escape(LECTURE_TITLE)}, reproduced</h1>
<p>The lecture slide by slide: what each claims, and what nnkit measured where a recipe reproduces it. Records from ${escape(source)}.</p>
<p>${escape(tally)}</p>
</header>
<nav>
<ol>
${contents}
</ol>
</nav>
${slides.map((slide, i) => slideHtml(slide, i, entries, pageDir)).join('\n')}
<footer>Written by <code>nnkit lecture</code> on ${escape(
    written
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC'),
  )}. Each recipe’s record holds its settings and environment.</footer>
</main>
</body>
</html>
`;
}
