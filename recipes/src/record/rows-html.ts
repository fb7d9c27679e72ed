import type { RecipeRow } from '@nnkit/core';
import { verdictOf } from './verdict.js';

/**
 * A record's verdict as the report and the lecture page show it: a badge's class, green only for a real pass, grey for a
 * smoke run (nothing checked), red where a check fell short; and its text, capitalized.
 */
export function verdictBadge(rows: readonly RecipeRow[]): { readonly className: 'ok' | 'smoke' | 'bad'; readonly text: string } {
  const verdict = verdictOf(rows);
  return {
    className: verdict.reproduced ? 'ok' : verdict.checked === 0 ? 'smoke' : 'bad',
    text: verdict.text.charAt(0).toUpperCase() + verdict.text.slice(1),
  };
}

/**
 * A record's rows as the table the report and the lecture page both show: ✓ or ✗ (blank where nothing was checked),
 * the quantity, the lecture's or paper's value, nnkit's. `inline` renders a cell's text, escaped as the page escapes;
 * `labelled` says each mark's meaning to screen readers.
 */
export function rowsTableHtml(rows: readonly RecipeRow[], inline: (text: string) => string, labelled = false): string {
  const body = rows
    .map((r) => {
      const mark = r.ok === undefined ? '' : r.ok ? '✓' : '✗';
      const cls = r.ok === undefined ? 'mark' : r.ok ? 'mark ok' : 'mark bad';
      const label = labelled ? ` aria-label="${r.ok === undefined ? 'reported' : r.ok ? 'meets the target' : 'falls short'}"` : '';
      return `<tr><td class="${cls}"${label}>${mark}</td><td>${inline(r.quantity)}</td><td>${inline(r.target)}</td><td>${inline(r.measured)}</td></tr>`;
    })
    .join('\n');
  return `<table>
<thead><tr><th></th><th>quantity</th><th>lecture / paper</th><th>nnkit measured</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}
