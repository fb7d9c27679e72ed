import { ConfigError } from '@nnkit/core';

/** Counts of what follows one context. */
interface Continuations {
  total: number;
  readonly counts: Map<number, number>;
}

/**
 * An interpolated Kneser-Ney n-gram language model (Kneser & Ney 1995; Chen & Goodman 1998, eq. 26), the baseline
 * Mikolov et al. (2010) compare their RNN against. The highest order uses counts, lower orders continuation counts
 * (in how many distinct contexts a word follows), the lowest interpolates with the uniform distribution over the
 * vocabulary, so that every token of a closed vocabulary (one with `<unk>`) gets a probability above zero:
 *
 *   P(w | h) = max(c(h w) − D, 0) / c(h) + D · N₁₊(h •) / c(h) · P(w | h′),   h′ = h without its first token.
 */
export class KneserNey {
  /** levels[k]: contexts of k tokens (key: the ids joined) → what follows them. */
  private readonly levels: Map<string, Continuations>[];

  constructor(
    training: ArrayLike<number>,
    readonly order: number,
    readonly vocabularySize: number,
    readonly discount = 0.75,
  ) {
    if (!(Number.isInteger(order) && order >= 1)) throw new ConfigError(`KneserNey expects an order ≥ 1, got ${order}.`, 'order');
    if (!(discount > 0 && discount < 1)) throw new ConfigError(`KneserNey expects a discount in (0, 1), got ${discount}.`, 'discount');
    this.levels = Array.from({ length: order }, () => new Map<string, Continuations>());
    const highest = this.levels[order - 1]!;
    for (let i = order - 1; i < training.length; i++) add(highest, key(training, i - order + 1, i), training[i]!, 1);
    // A lower order counts each distinct one-token-longer n-gram once: N₁₊(• h w).
    for (let k = order - 2; k >= 0; k--) {
      for (const [context, { counts }] of this.levels[k + 1]!) {
        const shorter = context.split(' ').slice(1).join(' ');
        for (const word of counts.keys()) add(this.levels[k]!, shorter, word, 1);
      }
    }
  }

  /** P(word | the tokens before it), `history` oldest first (only its last order − 1 tokens matter). */
  probability(history: readonly number[], word: number): number {
    let p = 1 / this.vocabularySize;
    const used = history.slice(Math.max(0, history.length - (this.order - 1)));
    for (let k = 0; k <= used.length; k++) {
      const context = used.slice(used.length - k).join(' ');
      const seen = this.levels[k]!.get(context);
      if (!seen) break; // a context never seen: longer ones containing it were not either
      p = (Math.max((seen.counts.get(word) ?? 0) - this.discount, 0) + this.discount * seen.counts.size * p) / seen.total;
    }
    return p;
  }

  /** Mean −ln P per token of `ids`, each predicted from the ones before it. */
  crossEntropy(ids: ArrayLike<number>): number {
    let total = 0;
    const history: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      total -= Math.log(this.probability(history, ids[i]!));
      history.push(ids[i]!);
      if (history.length >= this.order) history.shift();
    }
    return total / ids.length;
  }
}

function key(ids: ArrayLike<number>, from: number, to: number): string {
  let joined = '';
  for (let j = from; j < to; j++) joined += (j > from ? ' ' : '') + ids[j];
  return joined;
}

function add(level: Map<string, Continuations>, context: string, word: number, count: number) {
  let entry = level.get(context);
  if (!entry) level.set(context, (entry = { total: 0, counts: new Map() }));
  entry.total += count;
  entry.counts.set(word, (entry.counts.get(word) ?? 0) + count);
}
