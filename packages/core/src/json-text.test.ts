import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { JsonTextError, jsonSyntaxReason, lineAndColumn, parseJsonText, stripBom } from './json-text.js';

function reasonFor(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonSyntaxReason(error, text);
  }
  throw new Error(`${text} parsed`);
}

describe('parseJsonText', () => {
  it('parses JSON, with or without a leading byte-order mark', () => {
    expect(parseJsonText('{"a": [1, 2]}', 'x')).toEqual({ a: [1, 2] });
    expect(parseJsonText('\uFEFF{"a": 1}', 'x')).toEqual({ a: 1 });
    expect(stripBom('\uFEFFab')).toBe('ab');
    expect(stripBom('ab\uFEFF')).toBe('ab\uFEFF');
  });

  it('throws a ConfigError naming the source and the place, with the reason apart for callers to reword', () => {
    let thrown: unknown;
    try {
      parseJsonText('{bad', '--config');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonTextError);
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('NNKIT_CONFIG');
    expect((thrown as Error).message).toBe("--config expects JSON, got not JSON (a property name or '}' expected at column 2).");
    expect((thrown as JsonTextError).reason).toBe("not JSON (a property name or '}' expected at column 2)");
  });

  it.each([
    ['{"a": 1,}', 'not JSON (a double-quoted property name expected at column 9)'],
    ['{"a" 1}', "not JSON (':' expected after a property name at column 6)"],
    ['{"a": 1 "b": 2}', "not JSON (',' or '}' expected after a property value at column 9)"],
    ['[1, 2', "not JSON (',' or ']' expected after an array element at column 6)"],
    ['"abc', 'not JSON (a string left open (a missing closing quote) at column 5)'],
    ['{"a": 1} x', 'not JSON (more text after the JSON value at column 10)'],
    ['{\n  "a": 1,\n  "b": }', "not JSON (an unexpected '}' at line 3, column 8)"],
    ['{"a": \u200B1}', 'not JSON (an unexpected invisible character U+200B at column 7)'],
    ['', 'empty text, not JSON'],
    ['  \n', 'empty text, not JSON'],
  ])("words %j in nnkit's terms: %s", (text, reason) => {
    const got = reasonFor(text);
    expect(got).toBe(reason);
    expect(got).not.toMatch(/in JSON at position|Unexpected token/);
  });

  it('counts lines and columns from 1, as editors do', () => {
    expect(lineAndColumn('abc', 0)).toBe('column 1');
    expect(lineAndColumn('ab\ncd', 4)).toBe('line 2, column 2');
    expect(lineAndColumn('ab\ncd', 2)).toBe('line 1, column 3');
  });
});
