import type * as tf from '@tensorflow/tfjs';
import { ConfigError, closestNames, type TrainableModel } from '@nnkit/core';
import type { TrainedVariables } from './optimizer-state.js';

/** Whether `name` is frozen by `pattern`: the exact name, or a prefix ending in '/' (`encoder/`). */
function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('/') ? name.startsWith(pattern) : name === pattern;
}

/**
 * The weights the optimizer updates: all of the model's but those frozen by the model itself or by the trainer's
 * `freeze` option, in the model's order (tfjs's optimizers keep their slots by position, so the order must hold).
 * A `freeze` pattern that matches no weight is refused: a typo would otherwise train what was meant to be frozen.
 */
export function trainedVariables(model: TrainableModel, freeze: readonly string[] = []): TrainedVariables {
  const names = Object.keys(model.weights);
  for (const pattern of freeze) {
    if (!names.some((name) => matches(pattern, name))) {
      const close = closestNames(pattern, names, 3);
      throw new ConfigError(
        `train's freeze expects weight names or prefixes ending in '/', got '${pattern}', which matches none.` +
          `${close.length > 0 ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''} The model's weights: ${names.join(', ')}.`,
        'freeze',
      );
    }
  }
  const frozen = [...(model.frozen ?? []), ...freeze];
  const trained = Object.entries(model.weights)
    .filter(([name]) => !frozen.some((pattern) => matches(pattern, name)))
    .map(([stable, variable]) => ({ stable, variable }));
  if (trained.length === 0)
    throw new ConfigError(`train expects at least one weight to train, got every weight frozen (${frozen.join(', ')}).`, 'freeze');
  return trained;
}

export function variablesOf(trained: TrainedVariables): tf.Variable[] {
  return trained.map((t) => t.variable);
}
