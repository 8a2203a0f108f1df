import { describe, expect, it } from '@jest/globals';
import { parseBasicAuth, secretMatcher } from './secret-compare';

const expected = 'a-webhook-token-of-32-characters';

describe('secretMatcher', () => {
  const matches = secretMatcher(expected);
  it.each<[string, string | undefined, boolean]>([
    ['the same secret', expected, true],
    ['missing', undefined, false],
    ['empty', '', false],
    ['one character off', `${expected.slice(0, -1)}X`, false],
    ['a prefix', expected.slice(0, 10), false],
    ['longer', `${expected}x`, false],
    ['different case', expected.toUpperCase(), false],
  ])('%s', (_name, presented, result) => {
    expect(matches(presented)).toBe(result);
  });
});

describe('parseBasicAuth', () => {
  const encode = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
  it.each<[string, string | undefined, { user: string; password: string } | undefined]>([
    ['user and password', encode('ops:s3cret'), { user: 'ops', password: 's3cret' }],
    ['a colon inside the password', encode('ops:a:b'), { user: 'ops', password: 'a:b' }],
    ['lower-case scheme', encode('ops:x').replace('Basic', 'basic'), { user: 'ops', password: 'x' }],
    ['no colon', encode('ops'), undefined],
    ['another scheme', 'Bearer abc', undefined],
    ['no header', undefined, undefined],
  ])('%s', (_name, header, result) => {
    expect(parseBasicAuth(header)).toEqual(result);
  });
});
