import { ConfigError } from './errors.js';

/**
 * JSON text read from a file or a flag, and its syntax errors in nnkit's words. V8's own ("Expected property name or
 * '}' in JSON at position 1", "Unexpected token '﻿', …") counts characters from 0 and names invisible ones as they
 * are; a user needs the line and column their editor shows.
 */

/** A byte-order mark some editors write at the start of a UTF-8 file: not part of the JSON. */
const BOM = '\uFEFF';

/** `text` without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** V8's phrases, reworded: what was expected or what was found. The first that matches wins. */
const REWORDINGS: readonly [RegExp, string][] = [
  [/^Expected property name or '\}'/, "a property name or '}' expected"],
  [/^Expected double-quoted property name/, 'a double-quoted property name expected'],
  [/^Expected ':' after property name/, "':' expected after a property name"],
  [/^Expected ',' or '\}' after property value/, "',' or '}' expected after a property value"],
  [/^Expected ',' or '\]' after array element/, "',' or ']' expected after an array element"],
  [/^Unterminated string/, 'a string left open (a missing closing quote)'],
  [/^Unexpected end of JSON input/, 'the text ends before the JSON does'],
  [/^Unexpected non-whitespace character after JSON/, 'more text after the JSON value'],
  [/^Bad control character in string literal/, 'a control character inside a string'],
  [/^Bad escaped character/, 'an unknown escape (\\x) inside a string'],
  [/^No number after minus sign/, "a number expected after '-'"],
  [/^Exponent part is missing a number/, "a number expected after the exponent's 'e'"],
  [/^Unterminated fractional number/, "a digit expected after '.'"],
];

/** "line 3, column 7" for a 0-based character offset; "column 7" on a one-line text. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

/** "line break", "'x'", "invisible character U+200B": a character as a message can show it. */
function describeCharacter(char: string): string {
  if (char === '\n' || char === '\r') return 'line break';
  if (/\s/.test(char)) return 'blank';
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char)
    ? `'${char}'`
    : `invisible character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * "not JSON (a property name or '}' expected at column 2)": why JSON.parse refused `text`, from its SyntaxError,
 * with the place as line and column. Never V8's words ("in JSON at position", "Unexpected token").
 */
export function jsonSyntaxReason(error: unknown, text: string): string {
  const message = String((error as Error)?.message ?? error);
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : undefined;
  const unexpected = /^Unexpected token '([\s\S])'/u.exec(message) ?? /^Unexpected token ([^\s,])/u.exec(message);
  let what: string;
  let at = offset;
  if (unexpected) {
    const char = unexpected[1]!;
    what = `an unexpected ${describeCharacter(char)}`;
    // V8 names the character but not always where: where it stands only once outside strings, that is the place.
    at ??= onlyPlaceOutsideStrings(text, char);
  } else {
    what = REWORDINGS.find(([pattern]) => pattern.test(message))?.[1] ?? 'not valid JSON';
    if (text.trim() === '') return 'empty text, not JSON';
    if (/^Unexpected end/.test(message)) at ??= text.length;
  }
  return `not JSON (${what}${at !== undefined ? ` at ${lineAndColumn(text, at)}` : ''})`;
}

function onlyPlaceOutsideStrings(text: string, char: string): number | undefined {
  const places: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === char) places.push(i);
    else if (c === '"') inString = true;
  }
  return places.length === 1 ? places[0] : undefined;
}

/** A syntax error in JSON text: `reason` is the part after "got", for callers that word the message themselves. */
export class JsonTextError extends ConfigError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * JSON.parse of `text` after a leading byte-order mark. Bad syntax throws a JsonTextError (a ConfigError, code
 * NNKIT_CONFIG): "<what> expects JSON, got not JSON (a property name or '}' expected at line 1, column 2)."
 * `what` names the source: "Config file /x/nnkit.config.json", "--config".
 */
export function parseJsonText(text: string, what: string): unknown {
  const body = stripBom(text);
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = jsonSyntaxReason(error, body);
    throw new JsonTextError(`${what} expects JSON, got ${reason}.`, reason);
  }
}
