import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@nnkit/backends';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { TRANSLATOR_CONFIG, createTranslator } from '@nnkit/plugin-seq2seq-attention';
import { padPairs } from '@nnkit/train';
await useBackend('tensorflow');
const S = { batchSize: 64, sourceLength: 20, targetLength: 20, vocabulary: 64, embedding: 64, units: 128 };
const defaults = Object.fromEntries(Object.entries(TRANSLATOR_CONFIG).map(([k, f]) => [k, f.default]));
const config = { ...defaults, sourceVocabularySize: 64, targetVocabularySize: 64, embedding: 64, units: 128, bidirectional: true, attention: process.argv[2] ?? 'bahdanau', cell: 'lstm/lstm', encoderCell: '', decoderCell: '' };
const model = createTranslator(config, (_n, o) => createLstmCell(o), (l) => l.length);
const ids = (length, seed) => Array.from({ length }, (_, i) => 4 + ((i * 7919 + seed * 104729) % 60));
const rows = Array.from({ length: 64 }, (_, b) => ({ source: ids(20, b), target: ids(20, b + 1000) }));
const batch = padPairs(rows, { startId: 1, endId: 2 });
const vars = Object.values(model.weights);
const time = async (name, f) => {
  for (let i = 0; i < 3; i++) { const r = f(); await r.data(); tf.dispose(r); }
  const ts = [];
  let kernels = 0;
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); const r = f(); await r.data(); ts.push(performance.now() - t0); tf.dispose(r); }
  const info = await tf.profile(() => { const r = f(); return r; });
  ts.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} ${ts[3].toFixed(1).padStart(7)} ms  ${info.kernels.length} kernels`);
};
const encLoss = () => { const e = model.encode(batch.source, batch.sourceMask, { training: true }); const s = tf.add(tf.sum(e.outputs), tf.addN(e.finalStates.flat().map((x) => tf.sum(x)))); tf.dispose([e.outputs, ...e.finalStates.flat()]); return s; };
const fullLoss = () => { const { sum, weight } = model.loss(batch, { training: true }); return tf.div(sum, weight); };
await time('encoder forward', () => tf.tidy(encLoss));
await time('encoder fwd+grad', () => tf.tidy(() => { const { value, grads } = tf.variableGrads(encLoss, Object.entries(model.weights).filter(([k]) => k.startsWith('encoder') || k.startsWith('source')).map(([, v]) => v)); tf.dispose(grads); return value; }));
await time('full forward', () => tf.tidy(fullLoss));
await time('full fwd+grad', () => tf.tidy(() => { const { value, grads } = tf.variableGrads(fullLoss, vars); tf.dispose(grads); return value; }));
const opt = tf.train.adam(1e-3);
await time('full step (adam)', () => opt.minimize(fullLoss, true));
