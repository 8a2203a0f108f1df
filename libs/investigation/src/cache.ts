import zlib from 'node:zlib';
import type { Redis } from 'ioredis';
import type { Investigation } from './investigation';

export const cacheTtlSeconds = 24 * 3600;

export function cacheKey(prefix: string, issueId: string, eventId: string): string {
  return `${prefix}:investigation:cache:${issueId}:${eventId}`;
}

/** Brotli-compressed JSON: a 15-frame investigation is ~10 KB of JSON and ~2 KB stored. */
export function encodeInvestigation(investigation: Investigation): Buffer {
  return zlib.brotliCompressSync(Buffer.from(JSON.stringify(investigation)), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
}

export function decodeInvestigation(data: Buffer): Investigation | undefined {
  try {
    const parsed = JSON.parse(zlib.brotliDecompressSync(data).toString('utf8')) as Investigation;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function readCached(redis: Redis, key: string): Promise<Investigation | undefined> {
  const data = await redis.getBuffer(key);
  return data ? decodeInvestigation(data) : undefined;
}

export async function writeCached(redis: Redis, key: string, investigation: Investigation): Promise<number> {
  const data = encodeInvestigation(investigation);
  await redis.set(key, data, 'EX', cacheTtlSeconds);
  return data.length;
}
