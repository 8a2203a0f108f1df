import { describe, expect, it } from '@jest/globals';
import { TelegramApiError } from '@triage/telegram';
import { outcomeUnknown } from './send-outcome';

const network = (description: string) => new TelegramApiError('sendMessage', { kind: 'network', retryable: true }, description);
const server = (code: number) => new TelegramApiError('sendMessage', { kind: 'server', retryable: true }, 'Bad Gateway', code);

describe('outcomeUnknown: may Telegram have posted the message?', () => {
  const cases: Array<[string, TelegramApiError, boolean]> = [
    ['connection refused', network('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:443'), false],
    ['DNS: no such host', network('ENOTFOUND: getaddrinfo ENOTFOUND api.telegram.org'), false],
    ['DNS: try again', network('EAI_AGAIN: getaddrinfo EAI_AGAIN api.telegram.org'), false],
    ['TLS: bad certificate name', network('ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match'), false],
    ['TLS: self-signed', network('DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate'), false],
    ['TLS: protocol error in the handshake', network('EPROTO: write EPROTO SSL routines:ssl3_read_bytes:sslv3 alert handshake failure'), false],
    ['connect timeout', network("ETIMEDOUT: Timeout awaiting 'connect' for 5000ms"), false],
    ['TLS handshake timeout', network("ETIMEDOUT: Timeout awaiting 'secureConnect' for 5000ms"), false],
    ['DNS lookup timeout', network("ETIMEDOUT: Timeout awaiting 'lookup' for 5000ms"), false],
    ['whole-request timeout (the answer was lost)', network("ETIMEDOUT: Timeout awaiting 'request' for 15000ms"), true],
    ['connection reset mid-request', network('ECONNRESET: socket hang up'), true],
    ['502 from a gateway', server(502), true],
    ['504 from a gateway', server(504), true],
    ['500 from Telegram (it answered: not posted)', server(500), false],
  ];
  it.each(cases)('%s', (_name, error, expected) => {
    expect(outcomeUnknown(error)).toBe(expected);
  });
});
