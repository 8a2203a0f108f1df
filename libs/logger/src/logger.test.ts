import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger, redactSecretsInText } from './logger';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line)) };
}

describe('logger', () => {
  it('redacts secret fields and secrets inside text, and keeps child bindings', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ name: 'test', destination: stream });
    logger.child({ queue: 'send-alert', jobId: '42', issueId: '1042' }).info(
      {
        token: 'abc',
        headers: { authorization: 'Bearer secret-value' },
        config: { glitchtip: { apiToken: 'x'.repeat(64) }, telegram: { botToken: '123:abc' } },
        url: 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage',
        webhook: 'http://localhost:3000/api/glitchtip-webhook?token=s3cretvalue123',
      },
      'calling GlitchTip with Authorization: Bearer abcdef123',
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    expect(line).toMatchObject({ queue: 'send-alert', jobId: '42', issueId: '1042', token: '[REDACTED]' });
    for (const secret of ['abc"', 'secret-value', 'x'.repeat(64), '123:abc', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', 's3cretvalue123', 'abcdef123']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs errors with their type, message, stack and fields, secrets redacted', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ name: 'test', destination: stream });
    const error = Object.assign(new Error('connect ECONNREFUSED for https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe'), {
      code: 'ECONNREFUSED',
    });
    logger.error({ err: error }, 'job failed');
    logger.error(new TypeError('plain failure'));
    const [withField, bare] = lines();
    expect(withField!.err).toMatchObject({
      type: 'Error',
      message: 'connect ECONNREFUSED for https://api.telegram.org/bot[REDACTED]/getMe',
      code: 'ECONNREFUSED',
      stack: expect.stringContaining('logger.test.ts'),
    });
    expect(JSON.stringify(withField)).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
    expect(bare!.err).toMatchObject({ type: 'TypeError', message: 'plain failure' });
  });

  it.each([
    ['postgres://triage:hunter2@127.0.0.1:5432/db', 'postgres://triage:[REDACTED]@127.0.0.1:5432/db'],
    ['GET /api/glitchtip-webhook/abcdefghijklmnop 401', 'GET /api/glitchtip-webhook/[REDACTED] 401'],
    ['plain text stays', 'plain text stays'],
  ])('redactSecretsInText(%s)', (input, expected) => {
    expect(redactSecretsInText(input)).toBe(expected);
  });
});
