import { describe, expect, it } from '@jest/globals';
import { compilePattern } from './compile-pattern';
import { minLiteralLength, patternWitnesses } from './pattern-witness';

describe('patternWitnesses', () => {
  it.each<[string, string[]]>([
    ['pool exhausted', ['pool exhausted']],
    ['(connection )?pool (is )?(exhausted|full)', ['pool exhausted']],
    ['status code 429|response code 429', ['status code 429', 'response code 429']],
    ['ECONNREFUSED [0-9.]+:6379', ['ECONNREFUSED 0:6379']],
    ["cannot find module '[^']+'", ["cannot find module '#'"]],
    ['\\bjwt expired\\b', ['jwt expired']],
    ['rate ?limit(ed| exceeded)', ['ratelimited']],
    ['(?:a|b){3}c', ['aaac']],
    ['(?<kind>timeout)', ['timeout']],
    ['(a)\\1', []],
    ['(?=x)y', []],
    ['unbalanced (', []],
  ])('%s -> %j', (source, expected) => {
    const witnesses = patternWitnesses(source);
    expect(witnesses).toEqual(expected);
    const compiled = compilePattern(source);
    if (compiled.ok) for (const witness of witnesses) expect(compiled.pattern.test(witness)).toBe(true);
  });
});

describe('minLiteralLength', () => {
  it.each<[string, number]>([
    ['pool exhausted', 14],
    ['pool (is )?(exhausted|full)', 9],
    ['a|bcd', 1],
    ['.*', 0],
    ['\\d+ failed', 7],
    ['x{0,3}y', 1],
    ['[abc]+def', 3],
  ])('%s -> %d', (source, expected) => {
    expect(minLiteralLength(source)).toBe(expected);
  });
});
