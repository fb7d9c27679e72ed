/**
 * Edit distance between two sequences (strings, token ids, words): insertions, deletions and substitutions cost 1
 * each (Levenshtein: what word and phone error rates count); with `swaps`, so does swapping two neighbours (`lsmt` →
 * `lstm` is 1), the typo people make in names, which closestNames counts so. The one implementation: core imports
 * nothing of @nnkit/train, so train's sequence metrics take it from here. Three rows of the table, not all of it.
 */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>, { swaps = false }: { swaps?: boolean } = {}): number {
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1);
      current[j] = best;
    }
    [twoBack, previous] = [previous, current];
  }
  return previous[b.length]!;
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
    const distance = Math.min(editDistance(wanted, lower, { swaps: true }), editDistance(wanted, local, { swaps: true }));
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
