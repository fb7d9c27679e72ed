// How one probe run is judged: crash, hang, data loss, ugly or clean, with every reason found.
// The classes rank data loss > crash > hang > ugly > clean: a case gets the worst one, and keeps all reasons.

export const CLASSES = ['data loss', 'crash', 'hang', 'ugly', 'clean'];

/** Node's and tfjs's own words, which tell a user nothing about what they gave. */
export const INTERNALS = [
  /Unexpected token/,
  /must match/,
  /Cannot read propert/,
  /\bERR_[A-Z_]+/,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/,
  /typed array length/i,
  /\bambiguous\b/,
  /\bundefined\b/,
  /\[object Object\]/,
  /\bE(NOENT|ACCES|ROFS|NOTDIR|ISDIR|EXIST|PERM|NOSPC|LOOP)\b: /,
  /in JSON at position/,
];

/** Words that tell a user what to do next, or which values would do ("expects …": the standard shape names them). */
export const HINT =
  /did you mean|\bexpects\b|\b(use|try|pass|give|run|train|retrain|remove|delete|rename|choose|pick|set|add|lower|raise|reduce|free|install|check|see|make|omit|drop|move|start|write|save|fix|point|allowed|valid)\b|--[a-z]|one of|among|at most|at least|between|no more than|no less than|instead|works (for|with|on)|only for/i;

const CRASH = [
  [/unexpected error/i, 'says "unexpected error"'],
  [/^\s+at .*(:\d+:\d+\)?|native|<anonymous>)\s*$/m, 'JS stack trace'],
  [/heap out of memory|Allocation failed/i, 'out of memory'],
  [/Segmentation fault|core dumped|^Aborted/m, 'native abort'],
];

/** The error part of stderr: from the first "nnkit:" line on (progress lines such as "backend: …" come before). */
export function errorBlock(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  const start = lines.findIndex((l) => l.startsWith('nnkit:'));
  return { lines, block: start < 0 ? undefined : lines.slice(start) };
}

/**
 * Judges one run. `run` has code, signal, timedOut, stdout, stderr; `outcome` has what the runner checked on disk
 * (lost: paths whose bytes changed or vanished, litter, created, present) and the case's own extra reasons.
 */
export function classify(spec, run, outcome) {
  const reasons = { 'data loss': [], crash: [], hang: [], ugly: [] };
  const expected = [spec.expect ?? 0].flat();
  const text = `${run.stdout}\n${run.stderr}`;

  if (outcome.lost.length > 0) reasons['data loss'].push(`changed or deleted: ${outcome.lost.join(', ')}`);
  if (run.timedOut) reasons.hang.push(`no exit within ${spec.timeout}s`);
  else {
    if (run.signal) reasons.crash.push(`killed by ${run.signal}`);
    else if (![0, 1, 2].includes(run.code)) reasons.crash.push(`exit code ${run.code}`);
    for (const [pattern, why] of CRASH) if (pattern.test(run.stderr)) reasons.crash.push(why);
  }

  if (!run.timedOut && run.code !== null && !expected.includes(run.code))
    reasons.ugly.push(`exit ${run.code}, expected ${expected.join(' or ')}`);
  if (!run.timedOut && run.code !== 0 && run.code !== null) {
    const { block } = errorBlock(run.stderr);
    if (block === undefined) reasons.ugly.push('stderr has no line starting "nnkit:"');
    else {
      if (block.length > 3) reasons.ugly.push(`error is ${block.length} lines`);
      // The generic "usage: … (see --help)" line is no hint of this problem's fix.
      const message = block.filter((l) => !l.startsWith('usage:')).join(' ');
      if (spec.hint !== false && !HINT.test(message)) reasons.ugly.push('no hint of the fix');
    }
  }
  for (const pattern of INTERNALS)
    if (pattern.test(run.stderr) && !(spec.allow ?? []).some((a) => a.test(run.stderr))) reasons.ugly.push(`internals: ${pattern.source}`);
  for (const pattern of spec.must ?? []) if (!pattern.test(text)) reasons.ugly.push(`lacks ${pattern}`);
  for (const pattern of spec.mustNot ?? []) if (pattern.test(text)) reasons.ugly.push(`has ${pattern}`);
  if (outcome.litter.length > 0) reasons.ugly.push(`litter: ${outcome.litter.join(', ')}`);
  if (outcome.created.length > 0) reasons.ugly.push(`a refused command created: ${outcome.created.slice(0, 5).join(', ')}`);
  if (outcome.present.length > 0) reasons.ugly.push(`should not exist: ${outcome.present.join(', ')}`);
  reasons.ugly.push(...outcome.extra);

  const cls = CLASSES.find((c) => c !== 'clean' && reasons[c].length > 0) ?? 'clean';
  return { cls, reasons: CLASSES.flatMap((c) => (c === 'clean' ? [] : reasons[c].map((r) => `${c}: ${r}`))) };
}
