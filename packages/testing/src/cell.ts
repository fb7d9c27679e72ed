import * as tf from '@tensorflow/tfjs';
import { type Kit, type RecurrentCell } from '@nnkit/core';
import { useBackend, type BackendName } from '@nnkit/backends';
import { zeroState } from '@nnkit/ops';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { checkGradients } from '@nnkit/ops';
import { train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceKit, type PluginList } from './kit.js';
import { expectNoLeaks } from './leaks.js';
import { PROBE_NAMESPACE, type MaskedSequenceModel } from './probe-plugin.js';

export interface CellConformanceOptions {
  /** The plugin that registers the cell, and any it depends on. */
  readonly plugins: PluginList;
  /** Sizes the cell is made at (default 3 inputs, 4 units): small, so that the gradient checks stay quick. */
  readonly inputSize?: number;
  readonly units?: number;
  /** Backends for the numeric checks (default: every available one; cpu and wasm must be there). */
  readonly backends?: readonly BackendName[];
  /** Check that a cell made with `contextSize` reads a per-step context (default true: seq2seq's attention needs it). */
  readonly context?: boolean;
  /** The gradient check's finite-difference step and tolerances (default ε 1e-2, rtol 2e-2, atol 2e-3, float32). */
  readonly gradients?: { readonly epsilon?: number; readonly rtol?: number; readonly atol?: number };
}

const DEFAULT_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu', 'tensorflow'];

function disposeCell(cell: RecurrentCell): void {
  tf.dispose(Object.values(cell.weights));
}

/** A fixed random weighting of the output and every state component: a scalar whose gradient reaches all of them. */
function readout(cell: RecurrentCell, batch: number, seed: number) {
  const weights = [cell.units, ...cell.stateSizes].map((size, i) => tf.randomNormal([batch, size], 0, 1, 'float32', seed + i));
  const score = (output: tf.Tensor, state: readonly tf.Tensor[]) =>
    [output, ...state].reduce<tf.Tensor>((sum, t, i) => tf.add(sum, tf.sum(tf.mul(t, weights[i]!))), tf.scalar(0)) as tf.Scalar;
  return { score, dispose: () => tf.dispose(weights) };
}

/**
 * Checks a registered recurrent cell against nnkit's cell contract, in one line of a test file:
 *
 * ```ts
 * testCell('gru/gru', { plugins: [gru()] });
 * ```
 *
 * What it checks: the declared `units` and `stateSizes` are what a step returns; weights are named under the name the
 * cell was made with; a step neither disposes its inputs nor leaves tensors behind inside `tf.tidy`; the same seed
 * gives the same weights; autodiff's gradient equals finite differences for the input, the state and every weight;
 * a cell made with `contextSize` reads the context; and, unrolled by `@nnkit/ops` inside a model registered by name,
 * masked padding changes neither the final state nor the loss and its gradients, and training leaks nothing.
 */
export function testCell(key: string, options: CellConformanceOptions): void {
  const inputSize = options.inputSize ?? 3;
  const units = options.units ?? 4;
  const batch = 2;
  let kit: Kit;
  const make = (extra: { seed?: number; name?: string; contextSize?: number } = {}) =>
    kit.createCell(key, { inputSize, units, seed: 1, ...extra });

  describe(`cell ${key}: nnkit conformance`, () => {
    beforeAll(async () => {
      kit = await conformanceKit(options.plugins);
    });

    describe('its declarations', () => {
      beforeAll(async () => {
        await useBackend('cpu');
      });

      it('declares units and one positive size per state component, and names every weight under the name it was made with', () => {
        const cell = make({ name: 'encoder/layer0' });
        expect(cell.units, 'units').toBe(units);
        expect(cell.stateSizes.length, 'stateSizes: one entry per state component').toBeGreaterThan(0);
        for (const size of cell.stateSizes) expect(Number.isInteger(size) && size > 0, `state size ${size}`).toBe(true);
        const names = Object.keys(cell.weights);
        expect(names.length, 'weights').toBeGreaterThan(0);
        for (const name of names) expect(name, 'a weight name under the cell’s name').toMatch(/^encoder\/layer0\//);
        for (const weight of Object.values(cell.weights)) expect(weight, 'a weight').toBeInstanceOf(tf.Variable);
        disposeCell(cell);
      });

      it('makes the same weights from the same seed, and other weights from another', async () => {
        const [a, b, c] = [make({ seed: 5 }), make({ seed: 5 }), make({ seed: 6 })];
        let differs = false;
        for (const name of Object.keys(a.weights)) {
          expectClose(await a.weights[name]!.data(), await b.weights[name]!.data(), { rtol: 0, atol: 0 });
          const [x, z] = [await a.weights[name]!.data(), await c.weights[name]!.data()];
          if (x.some((v, i) => v !== z[i])) differs = true;
        }
        expect(differs, 'seed 6 gives other weights than seed 5').toBe(true);
        [a, b, c].forEach(disposeCell);
      });
    });

    describeEachBackend(
      `cell ${key}: a step`,
      () => {
        it('returns output (batch, units) and the declared state, and neither disposes its inputs nor leaves tensors behind in tf.tidy', async () => {
          const cell = make();
          const x = tf.randomNormal([batch, inputSize], 0, 1, 'float32', 2) as tf.Tensor2D;
          const state = zeroState(cell, batch);
          // Its inputs first: a step that disposes one would otherwise show up only as a count of tensors.
          const shapes = tf.tidy(() => {
            const next = cell.step(x, state);
            return { output: next.output.shape, state: next.state.map((s) => s.shape) };
          });
          expect(
            [x, ...state].filter((t) => t.isDisposed).length,
            'a step disposed its input or the state it was given (they are the caller’s)',
          ).toBe(0);
          expect(shapes.output, 'output shape').toEqual([batch, units]);
          expect(shapes.state, 'state shapes: (batch, size) for each of stateSizes').toEqual(cell.stateSizes.map((size) => [batch, size]));
          await expectNoLeaks(() => tf.tidy(() => void cell.step(x, state)), 'a step inside tf.tidy');
          // Outside tidy, the step's results are the caller's: disposing them returns memory to where it was.
          await expectNoLeaks(() => {
            const next = cell.step(x, state);
            tf.dispose([next.output, ...next.state]);
          }, 'a step whose results are disposed');
          tf.dispose([x, ...state]);
          disposeCell(cell);
        });

        it('has the gradient autodiff gives, by finite differences, for its input, its state and every weight', async () => {
          const cell = make();
          const { epsilon = 1e-2, rtol = 2e-2, atol = 2e-3 } = options.gradients ?? {};
          const x = tf.randomNormal([batch, inputSize], 0, 1, 'float32', 3) as tf.Tensor2D;
          const state = cell.stateSizes.map((size, i) => tf.randomNormal([batch, size], 0, 0.5, 'float32', 4 + i) as tf.Tensor2D);
          const { score, dispose } = readout(cell, batch, 11);
          const f = (input: tf.Tensor, ...s: tf.Tensor[]) => {
            const next = cell.step(input as tf.Tensor2D, s as tf.Tensor2D[]);
            return score(next.output, next.state);
          };
          const inputs = await checkGradients(f, [x, ...state], { epsilon, rtol, atol });
          expect(
            inputs.mismatches,
            `${key}: the gradient autodiff gives differs from finite differences for ∂/∂(input, state) (${inputs.checked} elements checked; a wrong backward pass?)`,
          ).toEqual([]);
          // Weights: the step reads its variables, so each is moved in place (assign) and put back.
          const loss = () => tf.tidy(() => f(x, ...state));
          const { grads, value } = tf.variableGrads(loss, Object.values(cell.weights));
          value.dispose();
          const mismatches: string[] = [];
          for (const [name, weight] of Object.entries(cell.weights)) {
            const analytic = await grads[weight.name]!.data();
            const base = (await weight.data()) as Float32Array;
            const stride = Math.max(1, Math.floor(base.length / 16));
            for (let i = 0; i < base.length; i += stride) {
              const at = async (delta: number) => {
                const moved = base.slice();
                moved[i]! += delta;
                tf.tidy(() => weight.assign(tf.tensor(moved, weight.shape)));
                const v = loss();
                const [result] = await v.data();
                v.dispose();
                return result!;
              };
              const numeric = ((await at(epsilon)) - (await at(-epsilon))) / (2 * epsilon);
              tf.tidy(() => weight.assign(tf.tensor(base, weight.shape)));
              if (!(Math.abs(analytic[i]! - numeric) <= atol + rtol * Math.abs(numeric)))
                mismatches.push(`${name}[${i}]: autodiff ${analytic[i]}, finite differences ${numeric}`);
            }
          }
          tf.dispose(Object.values(grads));
          expect(
            mismatches,
            `${key}: the gradient autodiff gives differs from finite differences for ∂/∂(weights) (a wrong backward pass?)`,
          ).toEqual([]);
          tf.dispose([x, ...state]);
          dispose();
          disposeCell(cell);
        });

        if (options.context ?? true) {
          it('made with contextSize, reads a per-step context (batch, contextSize), and the context changes the output', async () => {
            const cell = make({ contextSize: 2 });
            const x = tf.randomNormal([batch, inputSize], 0, 1, 'float32', 7) as tf.Tensor2D;
            const state = zeroState(cell, batch);
            const [a, b] = [
              tf.randomNormal([batch, 2], 0, 1, 'float32', 8),
              tf.randomNormal([batch, 2], 0, 1, 'float32', 9),
            ] as tf.Tensor2D[];
            const [first, second] = tf.tidy(() => [
              cell.step(x, state, { context: a! }).output,
              cell.step(x, state, { context: b! }).output,
            ]);
            expect(first!.shape).toEqual([batch, units]);
            const [p, q] = [await first!.data(), await second!.data()];
            expect(
              p.some((v, i) => Math.abs(v - q[i]!) > 1e-6),
              'another context gives another output',
            ).toBe(true);
            tf.dispose([x, ...state, a!, b!, first!, second!]);
            disposeCell(cell);
          });
        }

        it(`unrolled by @nnkit/ops inside a registered model: masked padding changes neither the final state, nor the loss and its gradients, and training leaks nothing`, async () => {
          const { model } = await kit.createModel<MaskedSequenceModel>(`${PROBE_NAMESPACE}/masked-sequence`, {
            config: { cell: key, inputSize, units },
          });
          // Row 0 has 3 real steps, row 1 has 5; padding holds noise, which the mask must hide.
          const batchOf = (time: number) => {
            const inputs = tf.randomNormal([batch, time, inputSize], 0, 1, 'float32', 20 + time) as tf.Tensor3D;
            const real = [3, 5];
            const mask = tf.tensor2d(
              real.flatMap((n) => Array.from({ length: time }, (_, t) => (t < n ? 1 : 0))),
              [batch, time],
            );
            const targets = tf.tensor2d([[0.5], [-0.5]]);
            // The same real steps at every length: copy them from the length-5 batch.
            const base = tf.randomNormal([batch, 5, inputSize], 0, 1, 'float32', 99);
            const merged = tf.tidy(() => tf.concat([base, tf.slice(inputs, [0, 5, 0], [batch, time - 5, inputSize])], 1)) as tf.Tensor3D;
            tf.dispose([inputs, base]);
            return { inputs: merged, mask, targets };
          };
          const [short, long] = [batchOf(6), batchOf(9)];
          const lossAndGrads = (b: typeof short) => {
            const { value, grads } = tf.variableGrads(() => model.loss(b, { training: false }).sum, Object.values(model.weights));
            return { value, grads };
          };
          const [s, l] = [lossAndGrads(short), lossAndGrads(long)];
          expectClose(await l.value.data(), await s.value.data(), { rtol: 1e-5, atol: 1e-6 });
          for (const name of Object.keys(s.grads))
            expectClose(await l.grads[name]!.data(), await s.grads[name]!.data(), { rtol: 1e-4, atol: 1e-6 });
          tf.dispose([s.value, l.value, ...Object.values(s.grads), ...Object.values(l.grads)]);
          // Row 0's final state is the state after its 3 real steps, run alone without a mask.
          const masked = model.finalState(short.inputs, short.mask);
          const alone = tf.tidy(() => model.finalState(tf.slice(short.inputs, [0, 0, 0], [1, 3, inputSize]) as tf.Tensor3D));
          for (const [i, component] of masked.entries()) {
            const row = tf.slice(component, [0, 0], [1, -1]);
            expectClose(await row.data(), await alone[i]!.data(), { rtol: 1e-5, atol: 1e-6 });
            row.dispose();
          }
          tf.dispose([...masked, ...alone]);
          // Trained by the engine: a warm-up run, then one that must leave memory where it found it.
          const source = {
            batchesPerEpoch: 1,
            unit: 'ex',
            unitsPerEpoch: batch,
            batch: () => ({ inputs: short.inputs.clone(), mask: short.mask.clone(), targets: short.targets.clone() }),
          };
          const fit = () => train({ model, data: source, steps: 2, optimizer: { name: 'adam', learningRate: 1e-2 }, seed: 1 });
          await fit();
          await expectNoLeaks(fit, 'training the probe model');
          tf.dispose([...Object.values(short), ...Object.values(long)]);
          model.dispose!();
        });
      },
      { only: options.backends ?? DEFAULT_BACKENDS },
    );
  });
}
