import { describe, expect, it } from '@jest/globals';
import { issueCountFromText, levelHintFromColour, type LevelHint } from './alert-hints';

describe('levelHintFromColour', () => {
  it.each<[string, unknown, LevelHint]>([
    ['generic error red', '#e52b50', 'error'],
    ['generic info blue', '#4b60b4', 'info'],
    ['upper case', '#E52B50', 'error'],
    ['Discord error integer', 15018832, 'error'],
    ['Discord info integer', 4939956, 'info'],
    ['null (warning, debug, uptime)', null, null],
    ['missing', undefined, null],
    ['another colour', '#ffa500', null],
    ['another integer', 0xffa500, null],
    ['a negative number', -1, null],
    ['a fraction', 15018832.5, null],
  ])('%s', (_name, colour, hint) => {
    expect(levelHintFromColour(colour)).toBe(hint);
  });
});

describe('issueCountFromText', () => {
  it.each<[unknown, number | null]>([
    ['GlitchTip Alert (5 issues)', 5],
    ['GlitchTip Alert (12 issues)', 12],
    ['GlitchTip Alert', null],
    ['GlitchTip Uptime Alert', null],
    [null, null],
    [5, null],
  ])('%p -> %p', (text, count) => {
    expect(issueCountFromText(text)).toBe(count);
  });
});
