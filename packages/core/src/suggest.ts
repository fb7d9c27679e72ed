/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates closest to `requested`, best first. A candidate qualifies when it is within a third of
 * the longer name's length in edits, or when one name contains the other, or when the part after the
 * namespace matches (`lm` finds `lstm/lm`): the mistakes people make are typos and missing namespaces.
 */
export function closestNames(requested: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = requested.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    const local = lower.slice(lower.indexOf('/') + 1);
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, local));
    const related = lower.includes(wanted) || wanted.includes(local);
    if (distance <= Math.max(1, Math.floor(Math.max(wanted.length, local.length) / 3)) || related) {
      scored.push({ name, score: related ? Math.min(distance, 1) : distance });
    }
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}
