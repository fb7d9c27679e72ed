import { ConfigError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { refuseMisfits, type CorpusFit } from './corpus-fit.js';

const VOCABULARY: CorpusFit = {
  field: 'vocabularySize',
  corpus: 90,
  what: 'symbols in its vocabulary',
  rule: 'atLeast',
};
const HEIGHT: CorpusFit = { field: 'imageHeight', corpus: 56, what: 'rows in its images', rule: 'equal' };

describe('refuseMisfits', () => {
  it('lets a config through whose vocabulary has room for the corpus and whose images match, and skips fields it lacks', () => {
    expect(() => refuseMisfits('m/m', 'data/d', { vocabularySize: 90, imageHeight: 56 }, [VOCABULARY, HEIGHT])).not.toThrow();
    expect(() => refuseMisfits('m/m', 'data/d', { vocabularySize: 200 }, [VOCABULARY, HEIGHT])).not.toThrow();
  });

  it('names every misfit at once, with the corpus value, as a ConfigError', () => {
    const error = (() => {
      try {
        refuseMisfits('m/m', 'data/d', { vocabularySize: 5, imageHeight: 28 }, [VOCABULARY, HEIGHT]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "Config for model 'm/m' expects vocabularySize ≥ 90 and imageHeight 56 to fit data/d, got vocabularySize 5 (data/d has 90 symbols in its vocabulary), " +
        "imageHeight 28 (data/d has 56 rows in its images). Leave vocabularySize, imageHeight out of --config to take the corpus's, or set them to fit.",
    );
    expect(() => refuseMisfits('m/m', 'data/d', { imageHeight: 57 }, [HEIGHT])).toThrow(
      /imageHeight 56 to fit data\/d, got imageHeight 57/,
    );
  });
});
