import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/each-backend.js';

/** What the native backend exposes beyond tfjs's interface: libtensorflow's version and its ops one by one. */
interface NodeBackend {
  readonly binding: { readonly TF_Version: string };
  executeSingleInput(name: string, input: tf.TensorInfo): tf.Tensor;
}

describeEachBackend(
  'the native backend',
  () => {
    it("rounds int32 to itself, where TensorFlow 2.21's own Round kernel returns zeros", () => {
      const backend = tf.backend() as unknown as NodeBackend;
      const x = tf.tensor1d([-3, 0, 7], 'int32');
      const own = backend.executeSingleInput('Round', x);
      // The bug nnkit works around (README, "Backends"); with another libtensorflow (tfjs-node's own 2.9.1) TF's
      // kernel is only required to agree with nnkit's.
      if (backend.binding.TF_Version === '2.21.0') expect(Array.from(own.dataSync())).toEqual([0, 0, 0]);
      else expect(Array.from(own.dataSync())).toEqual([-3, 0, 7]);
      const rounded = tf.round(x);
      expect(rounded.dtype).toBe('int32');
      expect(Array.from(rounded.dataSync())).toEqual([-3, 0, 7]);
      tf.dispose([x, own, rounded]);
    });
  },
  { only: ['tensorflow-gpu', 'tensorflow'] },
);
