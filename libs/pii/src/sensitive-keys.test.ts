import { describe, expect, it } from '@jest/globals';
import { classifySensitiveKey, splitKeyWords } from './sensitive-keys';

describe('classifySensitiveKey', () => {
  it.each([
    ['password', 'secret'],
    ['db_password', 'secret'],
    ['DB_PASSWORD', 'secret'],
    ['clientSecret', 'secret'],
    ['X-Api-Key', 'secret'],
    ['apiKey', 'secret'],
    ['secret_key_base', 'secret'],
    ['session_id', 'secret'],
    ['refreshTokens', 'secret'],
    ['SENTRY_DSN', 'secret'],
    ['mobilePhone', 'phone'],
    ['phone_number', 'phone'],
    ['msisdn', 'phone'],
    ['TokenExpiredError', null],
    ['token_type', null],
    ['public_key', null],
    ['primary_key', null],
    ['bypass', null],
    ['PWD', null],
    ['passCount', null],
    ['user', null],
  ] as const)('%s -> %s', (key, expected) => {
    expect(classifySensitiveKey(key)).toBe(expected);
  });

  it.each([
    ['clientSecret', ['client', 'secret']],
    ['XMLHttpRequest', ['xml', 'http', 'request']],
    ['x-api-key', ['x', 'api', 'key']],
    ['DB_PASSWORD', ['db', 'password']],
  ])('splits %s into words', (key, words) => {
    expect(splitKeyWords(key)).toEqual(words);
  });
});
