import { closestNames } from '@nnkit/core';

/** Names longer than this get no suggestion: no option or command is that long, and edit distance is quadratic. */
const MAX_SUGGESTED_LENGTH = 100;

/** The one known name closest to `name`, if one is close (a typo, a missing letter): [] or [name]. */
export function closestTo(name: string, known: readonly string[]): string[] {
  return name.length > MAX_SUGGESTED_LENGTH ? [] : closestNames(name, known, 1);
}

/** " Did you mean x?" for the known name closest to `name`, or '' when none is close: the tail of a refusal. */
export function didYouMean(name: string, known: readonly string[]): string {
  const [close] = closestTo(name, known);
  return close === undefined ? '' : ` Did you mean ${close}?`;
}
