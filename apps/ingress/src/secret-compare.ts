import crypto from 'node:crypto';

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A constant-time check against one expected secret. Both sides are hashed first, so the comparison never depends
 * on (or leaks) the expected secret's length; the expected digest is computed once.
 */
export function secretMatcher(expected: string): (presented: string | undefined) => boolean {
  const expectedDigest = sha256(expected);
  return (presented) => presented !== undefined && crypto.timingSafeEqual(sha256(presented), expectedDigest);
}

/** "Basic dXNlcjpwYXNz" -> { user, password }; anything else -> undefined. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
