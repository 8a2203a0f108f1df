import { describe, expect, it } from '@jest/globals';
import type { CrashFrame } from './frames';
import { frameKey, jaccard, minhashOf, minhashSimilarity, normalizeMessage, shingles, signatureOf, similarityScore } from './similarity';

const frame = (module: string, fn: string): CrashFrame => ({ path: `${module.replace(/\./g, '/')}.py`, absPath: null, function: fn, module, lineNo: 1, colNo: null, inApp: true, contextLine: null });

describe('similarity', () => {
  it.each([
    ["KeyError: 'user_42' at 0xdeadbeef", "keyerror: 'user_0' at #"],
    ['Order 6f1c2a9e-1b2c-4d5e-8f90-abcdef012345 failed', 'order # failed'],
    ['  many   spaces\n', 'many spaces'],
  ])('normalizes %j', (message, expected) => {
    expect(normalizeMessage(message)).toBe(expected);
  });

  it.each<[Pick<CrashFrame, 'module' | 'function' | 'path'>, string | undefined]>([
    [{ module: 'app.db', function: 'lookup', path: 'app/db.py' }, 'app.db:lookup'],
    [{ module: null, function: 'async Pool.connect', path: '/app/dist/pool.3f9a1c2b.js' }, 'pool:Pool.connect'],
    [{ module: null, function: null, path: null }, undefined],
  ])('frame key %#', (input, expected) => {
    expect(frameKey(input)).toBe(expected);
  });

  it('estimates Jaccard with MinHash closely enough to order messages', () => {
    const a = shingles(normalizeMessage('connection refused while connecting to the database pool'));
    const b = shingles(normalizeMessage('connection refused while connecting to the cache pool'));
    const c = shingles(normalizeMessage('division by zero'));
    const ab = minhashSimilarity(minhashOf(a), minhashOf(b));
    const exact = jaccard([...a], [...b]);
    expect(Math.abs(ab - exact)).toBeLessThan(0.2);
    expect(ab).toBeGreaterThan(minhashSimilarity(minhashOf(a), minhashOf(c)));
    expect(minhashSimilarity([], minhashOf(a))).toBe(0);
  });

  it('ranks same type and frames with another message above the same message with other frames', () => {
    const current = signatureOf('KeyError', "'user_id' missing in session", [frame('app.db', 'lookup'), frame('app.views', 'profile')]);
    const sameCodePath = signatureOf('KeyError', "'account' not found", [frame('app.db', 'lookup'), frame('app.views', 'profile')]);
    const sameMessage = signatureOf('KeyError', "'user_id' missing in session", [frame('billing.tasks', 'charge'), frame('billing.api', 'pay')]);
    expect(similarityScore(current, sameCodePath).score).toBeGreaterThan(similarityScore(current, sameMessage).score);
    expect(similarityScore(current, current).score).toBe(1);
  });
});
