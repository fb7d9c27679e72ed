import { loadMobyDick } from '@nnkit/datasets';
import { KneserNey } from './dist/language/kneser-ney.js';
for (const [level, orders] of [['word', [2, 3, 4, 5]], ['char', [3, 5, 7, 9]]]) {
  const c = loadMobyDick({ level });
  for (const n of orders) {
    const t0 = Date.now();
    const kn = new KneserNey(c.train, n, c.vocabulary.tokens.length);
    const v = kn.crossEntropy(c.validation), te = kn.crossEntropy(c.test);
    console.log(level, n, level === 'word' ? `ppl val ${Math.exp(v).toFixed(1)} test ${Math.exp(te).toFixed(1)}` : `bpc val ${(v/Math.LN2).toFixed(3)} test ${(te/Math.LN2).toFixed(3)}`, Date.now() - t0, 'ms');
  }
}
