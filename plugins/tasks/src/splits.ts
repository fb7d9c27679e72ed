import type { SplitName } from '@nnkit/core';

/** The splits in the order `nnkit eval` lists them in its messages. */
const ORDER: readonly SplitName[] = ['train', 'validation', 'test'];

/** The splits for which `holds` is true, in order: those that hold examples. */
export function splitsWhere(holds: (split: SplitName) => boolean): SplitName[] {
  return ORDER.filter(holds);
}
