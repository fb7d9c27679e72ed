import { createKit, silentProgress } from '@nnkit/core';
import rnnLm from '@nnkit/plugin-rnn-lm';
import lstm from '@nnkit/plugin-lstm';
import { loadMobyDick } from '@nnkit/datasets';
import { toStreams, train, evaluateStream } from '@nnkit/train';
import * as tf from '@tensorflow/tfjs';
const kit = await createKit({ plugins: [rnnLm(), lstm()], backend: process.argv[2] ?? 'wasm', progress: silentProgress() });
for (const [key, level, cfg, streams, k] of [
  ['lstm/lm', 'word', { units: 200, embedding: 200, tieWeights: true, dropout: 0.5 }, 32, 35],
  ['rnn-lm/lm', 'word', { units: 200, embedding: 0 }, 32, 35],
  ['lstm/lm', 'char', { units: 256, embedding: 64 , dropout: 0.2}, 64, 50],
  ['rnn-lm/lm', 'char', { units: 256, embedding: 0 }, 64, 50],
]) {
  const c = loadMobyDick({ level });
  const { model } = await kit.createModel(key, { config: { vocabularySize: c.vocabulary.tokens.length, ...cfg } });
  const n = streams * k * 8 + 1;
  const data = toStreams(c.train.subarray(0, n), streams);
  const t0 = Date.now();
  await train({ model, data, bptt: { k1: k, k2: k }, epochs: 1, optimizer: { name: 'adam', learningRate: 2e-3 }, clip: { norm: 5 } });
  const dt = (Date.now() - t0) / 1000;
  console.log(key, level, JSON.stringify(cfg), `${(streams * k * 8 / dt).toFixed(0)} tok/s train`);
  model.dispose(); tf.dispose([data.xs, data.ys]);
}
