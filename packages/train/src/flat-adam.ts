import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';

/** tfjs's `{ name, tensor }` pair (NamedTensor), which its public index does not export. */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** Where each variable's gradient and moments sit in the flat vectors: its tfjs name, shape and element count. */
interface Layout {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly sizes: number[];
}

/**
 * Adam (Kingma & Ba 2015) as tfjs's AdamOptimizer computes it, but over one flat vector of every variable's gradient
 * instead of variable by variable: about 20 kernels a step instead of 14 per variable (LeNet-5's 10 variables: 140),
 * which is most of what a small model's step costs in dispatch (the bench's profile). The moments are kept flat,
 * and getWeights/setWeights speak tfjs's format (the step count, then each variable's `name/m`, then each `name/v`),
 * so checkpoints written with either optimizer load into the other. accBeta1 and accBeta2 are tfjs's fields of the
 * same names (β₁ᵗ, β₂ᵗ), which nnkit's checkpoints save.
 */
export class FlatAdamOptimizer extends tf.Optimizer {
  static get className() {
    return 'Adam';
  }

  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  private layout: Layout | undefined;
  private firstMoment: tf.Variable | undefined;
  private secondMoment: tf.Variable | undefined;
  /** β₁, 1 − β₁, β₂, 1 − β₂ and ε as tensors, made once instead of at every step. */
  private readonly constants: Record<'beta1' | 'oneMinusBeta1' | 'beta2' | 'oneMinusBeta2' | 'epsilon', tf.Scalar>;

  constructor(
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {
    super();
    [this.accBeta1, this.accBeta2] = tf.tidy(() => [tf.scalar(beta1).variable(false), tf.scalar(beta2).variable(false)]);
    this.constants = {
      beta1: tf.scalar(beta1),
      oneMinusBeta1: tf.scalar(1 - beta1),
      beta2: tf.scalar(beta2),
      oneMinusBeta2: tf.scalar(1 - beta2),
      epsilon: tf.scalar(epsilon),
    };
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const variables = named.map(({ name }) => {
      const variable = tf.engine().registeredVariables[name];
      if (!variable)
        throw new ShapeError(`Adam expects gradients of registered variables, got one for '${name}', which is not a variable.`);
      return variable;
    });
    const layout = this.layoutFor(variables);
    const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon } = this.constants;
    tf.tidy(() => {
      // A variable without a gradient moves as one with a zero gradient (tfjs's Adam would leave its moments alone).
      const gradient = tf.concat(named.map(({ tensor }, i) => (tensor ? tf.reshape(tensor, [-1]) : tf.zeros([layout.sizes[i]!]))));
      const m = tf.add(tf.mul(this.firstMoment!, beta1), tf.mul(gradient, oneMinusBeta1));
      const v = tf.add(tf.mul(this.secondMoment!, beta2), tf.mul(tf.square(gradient), oneMinusBeta2));
      this.firstMoment!.assign(m);
      this.secondMoment!.assign(v);
      const corrected = tf.div(tf.div(m, tf.sub(1, this.accBeta1)), tf.add(tf.sqrt(tf.div(v, tf.sub(1, this.accBeta2))), epsilon));
      const steps = tf.split(tf.mul(corrected, -this.learningRate), layout.sizes);
      variables.forEach((variable, i) => variable.assign(tf.add(variable, tf.reshape(steps[i]!, variable.shape))));
      this.accBeta1.assign(tf.mul(this.accBeta1, beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, beta2));
    });
    this.incrementIterations();
  }

  /** The flat layout of these variables, made (with zero moments) on the first step; the same variables every step. */
  private layoutFor(variables: readonly tf.Variable[]): Layout {
    if (!this.layout) {
      const layout = {
        names: variables.map((v) => v.name),
        shapes: variables.map((v) => v.shape),
        sizes: variables.map((v) => v.size),
      };
      const total = layout.sizes.reduce((a, b) => a + b, 0);
      this.adopt(layout, tf.zeros([total]), tf.zeros([total]));
      return layout;
    }
    const names = variables.map((v) => v.name);
    if (names.join('\n') !== this.layout.names.join('\n')) {
      throw new ShapeError(
        `Adam expects the same variables at every step, in the same order (${this.layout.names.length} of them: ${this.layout.names.join(', ')}), got ${names.length}: ${names.join(', ')}. Make a new optimizer for another set of variables.`,
      );
    }
    return this.layout;
  }

  private adopt(layout: Layout, m: tf.Tensor, v: tf.Tensor): void {
    tf.dispose([this.firstMoment, this.secondMoment].filter((t): t is tf.Variable => t !== undefined));
    this.layout = layout;
    this.firstMoment = m.variable(false);
    this.secondMoment = v.variable(false);
    tf.dispose([m, v]);
  }

  override dispose(): void {
    tf.dispose([this.accBeta1, this.accBeta2, ...Object.values(this.constants)]);
    tf.dispose([this.firstMoment, this.secondMoment].filter((t): t is tf.Variable => t !== undefined));
  }

  /** tfjs's Adam format: the step count, then every variable's first moment (`name/m`), then every second (`name/v`). */
  override async getWeights(): Promise<NamedTensor[]> {
    const iterations = await this.saveIterations();
    if (!this.layout) return [iterations];
    const { names, shapes, sizes } = this.layout;
    const unflatten = (flat: tf.Tensor, slot: string) =>
      tf.tidy(() =>
        tf.split(flat, sizes).map((part, i) => ({ name: `${names[i]}/${slot}`, tensor: tf.reshape(part, shapes[i] as number[]) })),
      );
    return [iterations, ...unflatten(this.firstMoment!, 'm'), ...unflatten(this.secondMoment!, 'v')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    tf.tidy(() => {
      this.accBeta1.assign(tf.pow(this.beta1, this.iterations + 1));
      this.accBeta2.assign(tf.pow(this.beta2, this.iterations + 1));
    });
    const count = slots.length / 2;
    const firsts = slots.slice(0, count);
    const layout = {
      names: firsts.map(({ name }) => name.replace(/\/m$/, '')),
      shapes: firsts.map(({ tensor }) => tensor.shape),
      sizes: firsts.map(({ tensor }) => tensor.size),
    };
    const flat = (part: NamedTensor[]) =>
      tf.tidy(() => (part.length === 0 ? tf.zeros([0]) : tf.concat(part.map(({ tensor }) => tf.reshape(tensor, [-1])))));
    this.adopt(layout, flat(firsts), flat(slots.slice(count)));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
