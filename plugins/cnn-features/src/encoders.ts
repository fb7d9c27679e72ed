import { ConfigError, validateConfig, type EncoderDefinition } from '@nnkit/core';
import { convStack } from './blocks.js';
import { CNN_CONFIG, stackEncoder, type CnnEncoder } from './cnn.js';

/** What an encoder is built from: the model's shape fields (`seed` and `name` are the contract's own options). */
const ENCODER_OPTIONS = {
  widths: CNN_CONFIG.widths,
  kernelSize: CNN_CONFIG.kernelSize,
  height: CNN_CONFIG.height,
  width: CNN_CONFIG.width,
  channels: CNN_CONFIG.channels,
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
    create(options, { kit }): CnnEncoder {
      const { seed, name: prefix = 'cnn-features', inputShape, ...shape } = options;
      const owner = `encoder 'cnn-features/${name}'`;
      // Convolutions take any size: the caller's image shape, where given, sets height, width and channels.
      const [height, width, channels] = inputShape ?? [];
      const config = validateConfig(ENCODER_OPTIONS, { ...(inputShape && { height, width, channels }), ...shape }, owner);
      if (config.widths.length < layer) {
        throw new ConfigError(`Option 'widths' of ${owner} expects at least ${layer} widths (one per block up to ${name}), got [${config.widths.join(', ')}].`, 'widths');
      }
      if (config.kernelSize % 2 === 0) {
        throw new ConfigError(`Option 'kernelSize' of ${owner} expects an odd integer (3 or 5), got ${config.kernelSize}.`, 'kernelSize');
      }
      const derive = (label: string) => kit.random.derive(seed !== undefined ? `${seed}/cnn-features/${label}` : `cnn-features/${name}/${label}`);
      const stack = convStack({ inputShape: [config.height, config.width, config.channels], widths: config.widths.slice(0, layer), kernelSize: config.kernelSize }, derive, owner, `${String(prefix)}/`);
      return stackEncoder(stack, name);
    },
  };
}

export const cnnEncoders: readonly EncoderDefinition[] = [layerEncoder(1), layerEncoder(2), layerEncoder(3)];
