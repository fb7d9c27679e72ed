import { sep } from 'node:path';
import { pngTitle, PIXEL_RATIO } from '@nnkit/viz';
import type { RecipeRecord } from './record.js';
import { rowsTableHtml, verdictBadge } from './rows-html.js';

const escape = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** The little markdown a summary uses: `code` and **bold**. */
const inline = (text: string) =>
  escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');

/** A setting's value as one short line: numbers and strings as they are, lists and objects as compact JSON. */
function settingValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json.length > 160 ? `${json.slice(0, 157)}…` : json;
}

const STYLE = `
  :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --ok: #1e7e34; --bad: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
  main { max-width: 1100px; margin: 0 auto; padding: 32px 24px 48px; background: white; min-height: 100vh; }
  .kicker { margin: 0; color: var(--muted); font-size: 13px; letter-spacing: .02em; }
  h1 { margin: 4px 0 12px; font-size: 28px; }
  h2 { margin: 36px 0 12px; font-size: 19px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
  .claim { font-size: 17px; margin: 0 0 12px; }
  .verdict { display: inline-block; padding: 4px 12px; border-radius: 999px; font-weight: 600; }
  .verdict.ok { background: #e6f4ea; color: var(--ok); }
  .verdict.bad { background: #fce8e6; color: var(--bad); }
  .verdict.smoke { background: #f1f3f4; color: var(--muted); }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
  th { color: var(--muted); font-weight: 600; }
  td.mark { width: 2em; text-align: center; font-weight: 700; }
  td.mark.ok { color: var(--ok); } td.mark.bad { color: var(--bad); }
  td.key { width: 30%; color: var(--muted); white-space: nowrap; }
  code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f3f4; padding: 1px 4px; border-radius: 3px; }
  figure { margin: 0 0 28px; }
  figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
  figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
  footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
`;

/** Width and height of a PNG, from its header. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * One self-contained HTML page for a recipe run: the claim, the table (target, measured, ✓/✗), the figures (inlined
 * as data URIs), the settings and the environment. No script, no external file: it opens anywhere, and mails.
 */
export function renderReport(record: RecipeRecord, figures: readonly { readonly file: string; readonly png: Uint8Array }[]): string {
  const name = record.recipe.replace(/^recipes\//, '');
  const verdict = verdictBadge(record.rows);
  const figureHtml = figures
    .map(({ file, png }) => {
      const { width, height } = pngSize(png);
      const title = pngTitle(png) ?? file;
      const src = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
      // The image links to its PNG beside this page: the full-size figure, pixels not scaled to the column.
      const href = escape(file.split(sep).map(encodeURIComponent).join('/'));
      return `<figure><a href="${href}" title="open at full size"><img src="${src}" alt="${escape(title)}" width="${Math.round(width / PIXEL_RATIO)}" height="${Math.round(height / PIXEL_RATIO)}"></a><figcaption>${escape(title)} — <a href="${href}"><code>${escape(file)}</code></a> (full size, ${width} × ${height} px)</figcaption></figure>`;
    })
    .join('\n');
  const commands = Array.isArray(record.details?.commands)
    ? (record.details.commands as unknown[]).filter((c): c is string => typeof c === 'string')
    : [];
  const settings = Object.entries(record.settings)
    .map(([key, value]) => `<tr><td class="key">${escape(key)}</td><td><code>${escape(settingValue(value))}</code></td></tr>`)
    .join('\n');
  const env = record.environment;
  const { node, tfjs, plugins, ...nnkit } = env.versions;
  const environment: [string, string][] = [
    ['backend', `${env.backend.name}${env.backend.detail ? ` on ${env.backend.detail}` : ''} (asked for: ${env.backend.requested})`],
    ['Node.js', String(node)],
    ['TensorFlow.js (tfjs-core)', String(tfjs)],
    ...Object.entries(nnkit).map(([pkg, version]) => [pkg, String(version)] as [string, string]),
    [
      'plugins',
      Object.entries(plugins)
        .map(([pkg, version]) => `${pkg} ${version}`)
        .join(', '),
    ],
    ['machine', `${env.machine.cpu}, ${env.machine.cores} cores, ${env.machine.memoryGiB} GiB; ${env.machine.os} (${env.machine.arch})`],
    ['date', `${record.started.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`],
    ['time taken', `${record.seconds.toFixed(1)} s`],
    [
      'commit',
      env.commit ? `${env.commit.sha}${env.commit.dirty ? ' with uncommitted changes' : ''}` : 'none (nnkit ran from installed packages)',
    ],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nnkit recipe ${escape(name)}${record.quick ? ' (quick)' : ''}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="kicker">nnkit recipe · <code>${escape(record.recipe)}</code> · ${record.quick ? 'quick setting (<code>--quick</code>)' : 'full run'}</p>
<h1>${escape(name)}</h1>
<p class="claim"><strong>The claim:</strong> ${inline(record.reproduces)}</p>
<p><span class="verdict ${verdict.className}">${escape(verdict.text)}</span></p>
${record.summary ? `<p>${inline(record.summary)}</p>` : ''}
</header>
<section>
<h2>Lecture or paper against nnkit</h2>
${rowsTableHtml(record.rows, inline, true)}
</section>
${commands.length > 0 ? `<section>\n<h2>Try what it trained</h2>\n<p>The run saved its model; from the folder it ran in:</p>\n${commands.map((c) => `<pre><code>${escape(c)}</code></pre>`).join('\n')}\n</section>` : ''}
${figures.length > 0 ? `<section>\n<h2>Figures</h2>\n${figureHtml}\n</section>` : ''}
<section>
<h2>Settings</h2>
<table><tbody>
${settings}
</tbody></table>
</section>
<section>
<h2>Environment</h2>
<table><tbody>
${environment.map(([key, value]) => `<tr><td class="key">${escape(key)}</td><td>${escape(value)}</td></tr>`).join('\n')}
</tbody></table>
</section>
<footer>Written by <code>nnkit recipe ${escape(name)}</code>. <code>result.json</code> beside this page holds the same numbers, settings and environment for machines.</footer>
</main>
</body>
</html>
`;
}
