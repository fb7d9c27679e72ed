/** A rate as the bench prints it: 12,427 for large ones, 12.4 or 1.24 for small ones. */
export function formatRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2);
}

/** A ratio as the bench prints it (0.85×), or '' where there is none. */
export function formatRatio(x: number | undefined): string {
  return x === undefined ? '' : `${x >= 10 ? formatRate(x) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;
}

/** Rows of cells as text, each column as wide as its widest cell, two spaces apart, one line per row. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
