import { describe, expect, it } from '@jest/globals';
import { piiCorpus } from './pii-corpus';
import { scrubPii, scrubPiiDeep } from './scrub-pii';

describe('scrubPii on the corpus', () => {
  it.each(piiCorpus.map((line) => [line.text, line] as const))('%s', (_text, line) => {
    const scrubbed = scrubPii(line.text);
    for (const item of line.pii) expect(scrubbed).not.toContain(item);
    for (const item of line.keep) expect(scrubbed).toContain(item);
    if (line.pii.length > 0) expect(scrubbed).toMatch(/\[(email|phone|secret|ip|card)\]/);
    else expect(scrubbed).toBe(line.text);
  });

  it('is idempotent on every corpus line', () => {
    for (const line of piiCorpus) {
      const once = scrubPii(line.text);
      expect(scrubPii(once)).toBe(once);
    }
  });

  it('scrubs the whole corpus joined into one text like a single line each', () => {
    const joined = piiCorpus.map((line) => line.text).join('\n');
    expect(scrubPii(joined)).toBe(piiCorpus.map((line) => scrubPii(line.text)).join('\n'));
  });
});

describe('scrubPii markers', () => {
  it.each([
    ['mail alice@example.com now', 'mail [email] now'],
    ['to BOB.Jones@Mail.Example.ORG.', 'to [email].'],
    ['user=frank%40example.io&x=1', 'user=[email]&x=1'],
    ['call +1 415 555 2671', 'call [phone]'],
    ['call (415) 555-2671.', 'call [phone].'],
    ['from 203.0.113.42:8080', 'from [ip]:8080'],
    ['net 10.0.0.0/8', 'net [ip]/8'],
    ['via 2001:db8::1', 'via [ip]'],
    ['mapped ::ffff:192.0.2.128 here', 'mapped [ip] here'],
    ['card 4242-4242-4242-4242', 'card [card]'],
    ['password=hunter2', 'password=[secret]'],
    ['"password": "correct horse battery staple"', '"password": "[secret]"'],
    ["{'api_key': 'k-123'}", "{'api_key': '[secret]'}"],
    ['X-Api-Key: 0a1b2c3d4e', 'X-Api-Key: [secret]'],
    ['refreshToken=abc.def.ghi&next=/home', 'refreshToken=[secret]&next=/home'],
    ['next="https://app.example/cb?token=abc123&x=1"', 'next="https://app.example/cb?token=[secret]&x=1"'],
    ['{\\"secret\\":\\"a\\\\\\"b\\"}', '{\\"secret\\":\\"[secret]\\"}'],
    ['https://u:p@example.com/path', 'https://[secret]@example.com/path'],
    ['Authorization: Token 9f8e7d6c5b4a', 'Authorization: [secret]'],
    ['curl -u x -H Bearer abcDEF123456 url', 'curl -u x -H Bearer [secret] url'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----', '[secret]'],
  ])('%j -> %j', (input, expected) => {
    expect(scrubPii(input)).toBe(expected);
  });
});

describe('scrubPii leaves diagnostics alone', () => {
  it.each([
    'at Module._compile (node:internal/modules/cjs/loader:1256:14)',
    'ISO 2024-05-01T12:34:56+05:30, 12:34:56, 2024-05-01',
    'MAC 00:1a:2b:3c:4d:5e',
    'chrome@120.0.6099.109 and react@18.2.0 and v1.2.3.4',
    'epoch 1714567890123 and id 9007199254740993',
    'Invalid token: expired',
    'password: must be at least 8 characters',
    'token_type=bearer',
    'the password is wrong',
    'PWD=/home/app',
    'basic authentication is disabled',
    'ssn-like 123-45-6789 is not matched',
    '1+12345678 and a+1234567890',
    'tracking 4111111111111112',
  ])('%s', (text) => {
    expect(scrubPii(text)).toBe(text);
  });
});

describe('scrubPiiDeep', () => {
  it('scrubs strings, redacts values under sensitive keys whatever their type, and keeps the shape', () => {
    const input = {
      message: 'login by alice@example.com from 203.0.113.9',
      password: 123456,
      credentials: { user: 'alice', pass: 'x' },
      mobilePhone: 4155552671,
      count: 3,
      ok: true,
      none: null,
      token: '',
      tags: [{ key: 'ip', value: '198.51.100.1' }, 'card 4111111111111111'],
      'owner@example.com': 'key that is an e-mail address',
      at: new Date(0),
    };
    expect(scrubPiiDeep(input)).toEqual({
      message: 'login by [email] from [ip]',
      password: '[secret]',
      credentials: '[secret]',
      mobilePhone: '[phone]',
      count: 3,
      ok: true,
      none: null,
      token: '',
      tags: [{ key: 'ip', value: '[ip]' }, 'card [card]'],
      '[email]': 'key that is an e-mail address',
      at: new Date(0),
    });
    expect(input.message).toBe('login by alice@example.com from 203.0.113.9');
  });

  it('keeps cycles as cycles in the copy', () => {
    const node: { name: string; self?: unknown } = { name: 'bob@example.com' };
    node.self = node;
    const copy = scrubPiiDeep(node);
    expect(copy).not.toBe(node);
    expect(copy.name).toBe('[email]');
    expect(copy.self).toBe(copy);
  });

  it('turns a number that is a card number into the marker', () => {
    expect(scrubPiiDeep([4111111111111111, 42])).toEqual(['[card]', 42]);
  });
});
