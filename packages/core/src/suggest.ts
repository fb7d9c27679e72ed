/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (`lsmt` → `lstm` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `requested`, best first. A candidate qualifies when it is within a third of
 * the longer name's length in edits (of the whole key or of the part after the namespace), or when it
 * contains what was asked for (`lm` finds `lstm/lm`): the mistakes people make are typos and missing namespaces.
 */
export function closestNames(requested: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = requested.toLowerCase();
  const scored: { name: string; score: number; distance: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    const local = lower.slice(lower.indexOf('/') + 1);
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, local));
    const related = lower.includes(wanted);
    if (distance <= Math.max(1, Math.floor(Math.max(wanted.length, local.length) / 3)) || related) {
      scored.push({ name, score: related ? Math.min(distance, 1) : distance, distance });
    }
  }
  return scored
    .sort((x, y) => x.score - y.score || x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}
