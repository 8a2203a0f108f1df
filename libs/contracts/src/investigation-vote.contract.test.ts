import { describe, expect, it } from '@jest/globals';
import { decodeCallback } from './callback-data';
import { decodeVoteCallback, encodeVoteCallback } from './investigation-vote.contract';

describe('vote button data', () => {
  it.each([
    [42, 'helpful', 'v1|h|42'],
    [9007199254740, 'not-helpful', 'v1|n|9007199254740'],
  ] as const)('%d %s <-> %s', (id, vote, data) => {
    expect(encodeVoteCallback(id, vote)).toBe(data);
    expect(decodeVoteCallback(data)).toEqual({ investigationId: id, vote });
    expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
    expect(decodeCallback(data)).toHaveProperty('error');
  });

  it.each(['v1|r|42', 'v1|h|0', 'v1|h|-1', 'v2|h|1', 'v1|h|1|2', 'v1|h|abc', ''])('refuses %j', (data) => {
    expect(decodeVoteCallback(data)).toBeUndefined();
  });

  it('refuses ids that are not positive integers', () => {
    expect(() => encodeVoteCallback(0, 'helpful')).toThrow(RangeError);
  });
});
