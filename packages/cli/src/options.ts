import { JsonTextError, parseJsonText } from '@nnkit/core';
import { didYouMean } from './did-you-mean.js';
import { UsageError } from './usage-error.js';

/**
 * Typed command-line options: each reader takes the raw string parseArgs gave (or undefined when the flag was not
 * passed) and returns the value, or throws a UsageError (exit 2) shaped "--name expects X, got 'Y'." The text of X
 * is the same one `--help` shows as the option's limit, so the two never disagree.
 */

/** An inclusive range of integers; `max` left out is unbounded. */
export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
}

/** "an integer ≥ 1", "an integer from 1 to 64": what --help shows and what a refusal says was expected. */
export function integerLimit({ min, max }: IntegerRange): string {
  return max === undefined ? `an integer ≥ ${min}` : `an integer from ${min} to ${max === 0xffffffff ? '2^32-1' : max}`;
}

/** `--name n`: an integer within `range`; undefined when not passed. */
export function integerOption(value: unknown, name: string, range: IntegerRange = { min: 1 }): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isInteger(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    throw new UsageError(`--${name} expects ${integerLimit(range)}, got '${String(value)}'.`);
  }
  return n;
}

/** An open or closed bound on a real number: `{ above: 0 }` is a positive number. */
export interface NumberRange {
  /** The value must be greater than this. */
  readonly above?: number;
  /** The value must be at least this. */
  readonly atLeast?: number;
  /** The value must be at most this. */
  readonly atMost?: number;
}

export function numberLimit({ above, atLeast, atMost }: NumberRange): string {
  if (above === 0 && atMost === undefined) return 'a positive number';
  if (atLeast !== undefined) return `a number ≥ ${atLeast}${atMost !== undefined ? ` and ≤ ${atMost}` : ''}`;
  if (above !== undefined && atMost !== undefined) return `a number above ${above} and at most ${atMost}`;
  if (above !== undefined) return `a number above ${above}`;
  if (atMost !== undefined) return `a number at most ${atMost}`;
  return 'a finite number';
}

/**
 * `--name x`: a finite number within `range` (default: positive); undefined when not passed. `expected` is what a
 * refusal says was wanted, where the range's own words are not the ones its --help gives.
 */
export function numberOption(
  value: unknown,
  name: string,
  range: NumberRange = { above: 0 },
  expected = numberLimit(range),
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = text === '' ? NaN : Number(text);
  const outside =
    (range.above !== undefined && !(n > range.above)) ||
    (range.atLeast !== undefined && !(n >= range.atLeast)) ||
    (range.atMost !== undefined && !(n <= range.atMost));
  if (!Number.isFinite(n) || outside) {
    throw new UsageError(`--${name} expects ${expected}, got '${String(value)}'.`);
  }
  return n;
}

/** What a JSON value is, in the words a message about it needs: null, an array, a string… */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${JSON.stringify(value)})`;
}

/** Text longer than this is shown cut in a message: a refusal quotes what was given, not a pasted file. */
const QUOTED_LENGTH = 80;

/**
 * `--name '{"k": 1}'`: a JSON object; `{}` when not passed. A leading byte-order mark (text pasted from a file saved
 * on Windows) is dropped; quoting mistakes are named by line and column, in nnkit's words rather than V8's.
 */
export function jsonObjectOption(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  const text = String(value);
  let parsed: unknown;
  try {
    parsed = parseJsonText(text, `--${name}`);
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error;
    const shown = text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH)}…` : text;
    throw new UsageError(`--${name} expects a JSON object such as '{"key": 1}', got '${shown}': ${error.reason}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--${name} expects a JSON object such as '{"key": 1}', got ${describeJsonValue(parsed)}.`);
  }
  return parsed as Record<string, unknown>;
}

/** `--name x`: one of `choices`, with the closest one suggested; undefined when not passed. */
export function choiceOption<T extends string>(value: unknown, name: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(
    `--${name} expects one of ${choices.join(', ')}, got '${text}'.${text.trim() === '' ? '' : didYouMean(text, choices)}`,
  );
}

/** Paths longer than this are refused: no file system takes them, and they are a pasted mistake. */
export const MAX_PATH_LENGTH = 4096;

/** `--name <path>`: a non-empty path without NUL bytes; undefined when not passed. Whether it exists is the command's to check. */
export function pathOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text.trim() === '' || text.includes('\0') || text.length > MAX_PATH_LENGTH) {
    throw new UsageError(
      `--${name} expects a path of 1 to ${MAX_PATH_LENGTH} characters, got ${text.trim() === '' ? 'an empty one' : text.includes('\0') ? 'one with a NUL byte' : `${text.length} characters`}.`,
    );
  }
  return text;
}

/** What createKit takes as a seed. */
export const SEED_RANGE: IntegerRange = { min: 0, max: 0xffffffff };

/** `--name <registered name>` (a dataset, a preset): non-empty; whether it is registered is the registry's to say. */
export function nameOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text.trim() === '' || text.length > 200) {
    throw new UsageError(
      `--${name} expects a registered name of 1 to 200 characters, got ${text.trim() === '' ? 'an empty one' : `${text.length} characters`}.`,
    );
  }
  return text;
}
