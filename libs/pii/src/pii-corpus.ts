/**
 * Realistic lines from stack traces, logs, URLs and JSON, each with the personal or secret substrings that scrubbing
 * must remove (`pii`) and the diagnostic substrings it must keep (`keep`). Shared with the tests of every Triage output
 * (Telegram messages, GlitchTip comments, reports) so they all prove the same thing against the same data.
 *
 * All values are invented. Token-shaped values are assembled from pieces so that secret scanners do not flag this file.
 */
export interface PiiCorpusLine {
  text: string;
  pii: string[];
  keep: string[];
}

const githubToken = ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
const slackToken = ['xoxb', '-', '2048123456-4096123456789-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2'].join('');
const stripeKey = ['sk', '_live_', '51HxYzAbCdEfGhIjKlMnOpQr'].join('');
const telegramToken = ['7012345678', ':', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'].join('');
const jwt = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJhQGIuY28ifQ',
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
].join('.');
const privateKeyBody = 'MIIEowIBAAKCAQEA7bq3xYzL9mN8kP2qR5sT6uV7wX8yZ9aB0cD1eF2gH3iJ4kL5';

export const piiCorpus: PiiCorpusLine[] = [
  {
    text: 'Error: User alice.smith+test@example.co.uk not found',
    pii: ['alice.smith+test@example.co.uk'],
    keep: ['Error: User', 'not found'],
  },
  {
    text: '    at UserService.findByEmail (/app/src/services/user-service.ts:123:45)',
    pii: [],
    keep: ['UserService.findByEmail', '/app/src/services/user-service.ts:123:45'],
  },
  {
    text: '    at Object.<anonymous> (/srv/app/node_modules/@acme/sdk@2.4.1/dist/index.js:1043:17)',
    pii: [],
    keep: ['Object.<anonymous>', '/srv/app/node_modules/@acme/sdk@2.4.1/dist/index.js:1043:17'],
  },
  {
    text: '  File "/usr/lib/python3.11/site-packages/django/db/backends/utils.py", line 89, in _execute',
    pii: [],
    keep: ['/usr/lib/python3.11/site-packages/django/db/backends/utils.py', 'line 89', 'in _execute'],
  },
  {
    text: 'psycopg2.OperationalError: connection to server at "10.12.0.7", port 5432 failed: FATAL:  password authentication failed for user "billing"',
    pii: ['10.12.0.7'],
    keep: ['psycopg2.OperationalError', 'port 5432', 'password authentication failed'],
  },
  {
    text: 'GET https://api.example.com/v2/orders?customer_email=bob%40example.org&access_token=q8Zt3Kx9LmP2vW7yR4nB&page=2 -> 502',
    pii: ['bob%40example.org', 'q8Zt3Kx9LmP2vW7yR4nB'],
    keep: ['https://api.example.com/v2/orders?', 'page=2', '502'],
  },
  {
    text: 'DATABASE_URL=postgres://triage:S3cr3t!pass@db.internal:5432/triage',
    pii: ['S3cr3t!pass'],
    keep: ['postgres://', 'db.internal:5432/triage'],
  },
  {
    text: 'redis://:s3cretRedisPass@10.0.0.5:6380/2',
    pii: ['s3cretRedisPass', '10.0.0.5'],
    keep: ['redis://', ':6380/2'],
  },
  {
    text: '{"user":{"id":"8f14e45f-ceea-467f-a9b1-1b2c3d4e5f60","email":"carol@example.com","phone":"+1 (415) 555-2671"},"password":"hunter2!","apiKey":"AbCdEf123456"}',
    pii: ['carol@example.com', '+1 (415) 555-2671', 'hunter2!', 'AbCdEf123456'],
    keep: ['"user"', '8f14e45f-ceea-467f-a9b1-1b2c3d4e5f60', '"password":"', '"apiKey":"'],
  },
  {
    text: 'level=error msg="request failed" body="{\\"token\\":\\"tok_9f8e7d6c5b4a\\",\\"ip\\":\\"203.0.113.42\\"}" duration_ms=1834',
    pii: ['tok_9f8e7d6c5b4a', '203.0.113.42'],
    keep: ['level=error', 'request failed', 'duration_ms=1834'],
  },
  {
    text: "headers: {'Authorization': 'Bearer abc.def-ghi_jkl', 'Cookie': 'sessionid=x9y8z7w6; csrftoken=AbC123', 'User-Agent': 'Mozilla/5.0'}",
    pii: ['abc.def-ghi_jkl', 'x9y8z7w6', 'AbC123'],
    keep: ["'User-Agent': 'Mozilla/5.0'"],
  },
  {
    text: `curl -H "Authorization: Bearer ${jwt}" https://api.example.com/me`,
    pii: [jwt, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'],
    keep: ['curl -H', 'https://api.example.com/me'],
  },
  {
    text: `JsonWebTokenError: invalid signature for ${jwt}`,
    pii: [jwt],
    keep: ['JsonWebTokenError: invalid signature'],
  },
  {
    text: `POST https://api.telegram.org/bot${telegramToken}/sendMessage failed: 429 Too Many Requests`,
    pii: [telegramToken, 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'],
    keep: ['https://api.telegram.org/bot', '/sendMessage', '429 Too Many Requests'],
  },
  {
    text: 'botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: AccessKeyId=AKIAIOSFODNN7EXAMPLE',
    pii: ['AKIAIOSFODNN7EXAMPLE'],
    keep: ['botocore.exceptions.ClientError', 'InvalidClientTokenId', 'AssumeRole operation'],
  },
  {
    text: `fatal: could not read from https://x-access-token:${githubToken}@github.com/acme/app.git`,
    pii: [githubToken],
    keep: ['github.com/acme/app.git'],
  },
  {
    text: `Using ${githubToken} for the release workflow of acme/app 3.2.0`,
    pii: [githubToken],
    keep: ['release workflow', 'acme/app 3.2.0'],
  },
  {
    text: `slack: chat.postMessage failed (invalid_auth) with ${slackToken}`,
    pii: [slackToken],
    keep: ['chat.postMessage failed (invalid_auth)'],
  },
  {
    text: 'Posting to https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefGHIJKL1234567890 timed out',
    pii: ['T0123ABCD/B0456EFGH/abcdefGHIJKL1234567890'],
    keep: ['https://hooks.slack.com/services/', 'timed out'],
  },
  {
    text: `StripeAuthenticationError: Invalid API Key provided: ${stripeKey}`,
    pii: [stripeKey],
    keep: ['StripeAuthenticationError: Invalid API Key provided'],
  },
  {
    text: `Loaded signing key:\n-----BEGIN RSA PRIVATE KEY-----\n${privateKeyBody}\nQ2xpZW50S2V5U2VjcmV0\n-----END RSA PRIVATE KEY-----\nfrom /etc/app/keys`,
    pii: [privateKeyBody, 'Q2xpZW50S2V5U2VjcmV0'],
    keep: ['Loaded signing key:', 'from /etc/app/keys'],
  },
  {
    text: 'SENTRY_DSN=https://4f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c@glitchtip.example.com/3',
    pii: ['4f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c'],
    keep: ['SENTRY_DSN='],
  },
  {
    text: 'config: { client_secret: 9a8b7c6d5e4f3a2b1c0d, secret_key_base: "d41d8cd98f00b204e9800998ecf8427e", token_type: bearer }',
    pii: ['9a8b7c6d5e4f3a2b1c0d', 'd41d8cd98f00b204e9800998ecf8427e'],
    keep: ['client_secret:', 'secret_key_base:', 'token_type: bearer'],
  },
  {
    text: 'Authorization header was Basic dXNlcjpwYXNzd29yZA== but basic authentication is disabled',
    pii: ['dXNlcjpwYXNzd29yZA=='],
    keep: ['Authorization header was Basic', 'basic authentication is disabled'],
  },
  {
    text: 'Set-Cookie: session=8d7f6e5a4b3c2d1e; Path=/; HttpOnly',
    pii: ['8d7f6e5a4b3c2d1e'],
    keep: ['Set-Cookie:'],
  },
  {
    text: 'TokenExpiredError: jwt expired at 2024-05-01T10:00:00Z in verifyToken (/app/src/auth/verify.ts:31:11)',
    pii: [],
    keep: ['TokenExpiredError: jwt expired', '2024-05-01T10:00:00Z', 'verifyToken', '/app/src/auth/verify.ts:31:11'],
  },
  {
    text: 'upstream connect error to 2001:db8:85a3::8a2e:370:7334 port 443, retrying via [fe80::1ff:fe23:4567:890a%eth0]:8080',
    pii: ['2001:db8:85a3::8a2e:370:7334', 'fe80::1ff:fe23:4567:890a'],
    keep: ['upstream connect error to', 'port 443', ']:8080'],
  },
  {
    text: 'client=198.51.100.23 forwarded_for="203.0.113.9, 192.168.1.20" status=499',
    pii: ['198.51.100.23', '203.0.113.9', '192.168.1.20'],
    keep: ['client=', 'forwarded_for=', 'status=499'],
  },
  {
    text: 'dial tcp 172.16.254.1:443: i/o timeout',
    pii: ['172.16.254.1'],
    keep: ['dial tcp', ':443: i/o timeout'],
  },
  {
    text: 'Error: connect ECONNREFUSED 127.0.0.1:6379 (listening on 0.0.0.0:3000, [::1]:5432)',
    pii: [],
    keep: ['ECONNREFUSED 127.0.0.1:6379', '0.0.0.0:3000', '[::1]:5432'],
  },
  {
    text: 'Upgraded openssl@1.1.1.23 and kernel v5.15.0.91; schema 1.2.3.4.5 unchanged',
    pii: [],
    keep: ['openssl@1.1.1.23', 'v5.15.0.91', '1.2.3.4.5'],
  },
  {
    text: 'Payment declined for card 4111 1111 1111 1111 (order 1714567890123, tracking 4111111111111112)',
    pii: ['4111 1111 1111 1111'],
    keep: ['Payment declined for card', 'order 1714567890123', 'tracking 4111111111111112'],
  },
  {
    text: 'charge failed: card_number=5555555555554444 amex=3782-822463-10005 chat=-1001234567890',
    pii: ['5555555555554444', '3782-822463-10005'],
    keep: ['charge failed', 'chat=-1001234567890'],
  },
  {
    text: 'Call customer at 020 7946 0958 or +44 7911 123456 about ticket #4521',
    pii: ['020 7946 0958', '+44 7911 123456'],
    keep: ['Call customer at', 'about ticket #4521'],
  },
  {
    text: 'SMS to (212) 555-0147 failed; fallback 212.555.0148; Rappeler le 06 12 34 56 78',
    pii: ['(212) 555-0147', '212.555.0148', '06 12 34 56 78'],
    keep: ['SMS to', 'failed; fallback', 'Rappeler le'],
  },
  {
    text: 'dialing tel:+4930123456789 then 8 (800) 555-35-35, mobile=4155552671',
    pii: ['+4930123456789', '8 (800) 555-35-35', '4155552671'],
    keep: ['dialing tel:', 'mobile='],
  },
  {
    text: "{'email': 'eve@example.net', 'mobile_phone': '07700 900123', 'age': 34, 'phone': 'unknown'}",
    pii: ['eve@example.net', '07700 900123'],
    keep: ["'age': 34", "'phone': 'unknown'"],
  },
  {
    text: '2024-05-01 12:34:56,789 ERROR [req 7f3c] user=frank@example.io ip=2a02:6b8::2:242 card=4012888888881881',
    pii: ['frank@example.io', '2a02:6b8::2:242', '4012888888881881'],
    keep: ['2024-05-01 12:34:56,789 ERROR [req 7f3c]', 'user=', 'ip=', 'card='],
  },
  {
    text: '2024-05-01T12:34:56.789Z [worker-3] INFO job 42 completed in 1834 ms (pid 31337, node v20.11.1, epoch 1714567890)',
    pii: [],
    keep: ['2024-05-01T12:34:56.789Z', '[worker-3]', 'job 42', '1834 ms', 'pid 31337', 'v20.11.1', 'epoch 1714567890'],
  },
  {
    text: 'Released 2.4.1 on 2024.05.01, commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f, build 20240501.3',
    pii: [],
    keep: ['Released 2.4.1', '2024.05.01', '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f', 'build 20240501.3'],
  },
  {
    text: 'event c0a8e2f4b1d94e6f8a7b3c2d1e0f9a8b of issue 123456, trace 123e4567-e89b-12d3-a456-426614174000, span 12345678-1234-5678-1234-567812345678',
    pii: [],
    keep: ['c0a8e2f4b1d94e6f8a7b3c2d1e0f9a8b', 'issue 123456', '123e4567-e89b-12d3-a456-426614174000', '12345678-1234-5678-1234-567812345678'],
  },
  {
    text: 'Listening on http://localhost:3000 and :8443; segfault at 0x7ffd5fbff8a8; took 00:01:23.456; p99 1234 ms; 99.95% ok',
    pii: [],
    keep: ['http://localhost:3000', ':8443', '0x7ffd5fbff8a8', '00:01:23.456', 'p99 1234 ms', '99.95% ok'],
  },
  {
    text: 'panicked at tokio::runtime::task::harness::poll, token::Token::parse, std::vector<int>, items[::2], Foo::Bar::baz',
    pii: [],
    keep: ['tokio::runtime::task::harness::poll', 'token::Token::parse', 'std::vector<int>', 'items[::2]', 'Foo::Bar::baz'],
  },
  {
    text: '    at com.acme.billing.InvoiceService.charge(InvoiceService.java:217) ~[billing-3.14.2.jar:3.14.2]',
    pii: [],
    keep: ['com.acme.billing.InvoiceService.charge(InvoiceService.java:217)', 'billing-3.14.2.jar:3.14.2'],
  },
  {
    text: 'histogram buckets 120 340 1024; sizes 0 100 200 300; released on 2024-05-01 09:30:00 +0200',
    pii: [],
    keep: ['120 340 1024', '0 100 200 300', '2024-05-01 09:30:00 +0200'],
  },
  {
    text: 'TypeError: Cannot read properties of undefined (reading \'token\') at LoginForm.submit (webpack:///./src/login.tsx?1a2b:88:9)',
    pii: [],
    keep: ["(reading 'token')", 'LoginForm.submit', 'webpack:///./src/login.tsx?1a2b:88:9'],
  },
  {
    text: 'git@github.com:acme/app.git rejected push from grace.hopper@navy.mil.example',
    pii: ['grace.hopper@navy.mil.example'],
    keep: ['acme/app.git rejected push from'],
  },
];
