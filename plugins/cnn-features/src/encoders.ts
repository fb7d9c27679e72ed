import { ConfigError, validateOptions, type ConfigOf, type EncoderDefinition, type Field } from '@nnkit/core';
import { convStack } from './blocks.js';
import { CNN_CONFIG, stackEncoder, type CnnEncoder } from './cnn.js';

/** A model field as an encoder option with no default of its own: left out, the caller's `inputShape` decides. */
function withoutDefault<T>({ default: _, ...field }: Field<T>): Field<T> {
  return field;
}

/** The image size an encoder is built for, defaults filled: the model's own fields. */
const IMAGE_SIZE = { height: CNN_CONFIG.height, width: CNN_CONFIG.width, channels: CNN_CONFIG.channels };

/**
 * What an encoder is built from, checked by the registry before create(): the model's shape fields (`seed`, `name`
 * and `inputShape` are the contract's own options). The image size has no default here, so that one given as an
 * option wins over the caller's `inputShape`, and that over the model's 28×28×1.
 */
const ENCODER_OPTIONS = {
  widths: CNN_CONFIG.widths,
  kernelSize: CNN_CONFIG.kernelSize,
  height: withoutDefault(CNN_CONFIG.height),
  width: withoutDefault(CNN_CONFIG.width),
  channels: withoutDefault(CNN_CONFIG.channels),
};

/**
 * `cnn-features/convN`: fresh conv blocks up to convN, as an image encoder for other plugins (a captioner reads
 * conv3's (7, 7, 64) grid as 49 places to attend to). Options: `widths` (default 16-32-64), `kernelSize` (3),
 * `height`, `width`, `channels` (28, 28, 1; or the contract's `inputShape`), `seed`, `name` (the weights' prefix, default `cnn-features`:
 * `cnn-features/conv1/kernel`). For a trained model's layers use the model's `encoder(layer)`.
 */
function layerEncoder(layer: number): EncoderDefinition {
  const name = `conv${layer}`;
  return {
    name,
    description: `the conv blocks up to ${name} (ReLU map before pooling): 28×28×1 → ${[28, 14, 7][layer - 1]}×${[28, 14, 7][layer - 1]}×${[16, 32, 64][layer - 1]} with the default widths`,
    options: ENCODER_OPTIONS,
    create(options, { kit }): CnnEncoder {
      const { seed, name: prefix = 'cnn-features', inputShape, ...given } = options;
      const owner = `encoder cnn-features/${name}`;
      const config = given as Partial<ConfigOf<typeof ENCODER_OPTIONS>> & Pick<ConfigOf<typeof ENCODER_OPTIONS>, 'widths' | 'kernelSize'>;
      // Convolutions take any size: the caller's image shape stands in for a size not given as an option. Checked
      // here, as the caller's shape is not an option the registry checks.
      const [height, width, channels] = inputShape ?? [];
      const size = validateOptions(
        IMAGE_SIZE,
        { height: config.height ?? height, width: config.width ?? width, channels: config.channels ?? channels },
        owner,
      ) as ConfigOf<typeof IMAGE_SIZE>;
      if (config.widths.length < layer) {
        throw new ConfigError(
          `Option 'widths' of ${owner} expects at least ${layer} widths (one per block up to ${name}), got [${config.widths.join(', ')}].`,
          'widths',
        );
      }
      if (config.kernelSize % 2 === 0) {
        throw new ConfigError(`Option 'kernelSize' of ${owner} expects an odd integer (3 or 5), got ${config.kernelSize}.`, 'kernelSize');
      }
      const derive = (label: string) =>
        kit.random.derive(seed !== undefined ? `${seed}/cnn-features/${label}` : `cnn-features/${name}/${label}`);
      const stack = convStack(
        {
          inputShape: [size.height, size.width, size.channels],
          widths: config.widths.slice(0, layer),
          kernelSize: config.kernelSize,
        },
        derive,
        owner,
        `${String(prefix)}/`,
      );
      return stackEncoder(stack, name);
    },
  };
}

export const cnnEncoders: readonly EncoderDefinition[] = [layerEncoder(1), layerEncoder(2), layerEncoder(3)];
