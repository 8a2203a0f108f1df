import { describe, expect, it } from '@jest/globals';
import { callbackDataMaxBytes, decodeCallback, encodeCallback, encodeMessageCallback, type AlertCallback } from './callback-data';

const largestIssueId = '18446744073709551615'; // 2^64 - 1, beyond any Postgres bigint
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe('encodeCallback / decodeCallback', () => {
  it.each<[AlertCallback, string]>([
    [{ action: 'investigate', issueId: '123456' }, 'v1|i|123456'],
    [{ action: 'resolve', issueId: '123456' }, 'v1|r|123456'],
    [{ action: 'reopen', issueId: '123456' }, 'v1|o|123456'],
    [{ action: 'ignore', issueId: '123456' }, 'v1|g|123456'],
    [{ action: 'mute', issueId: '123456', hours: 4 }, 'v1|m|123456|4'],
    [{ action: 'unmute', issueId: '123456' }, 'v1|u|123456'],
    [{ action: 'mute', issueId: largestIssueId, hours: 8760 }, `v1|m|${largestIssueId}|8760`],
  ])('%j <-> %s', (callback, data) => {
    expect(encodeCallback(callback)).toBe(data);
    expect(decodeCallback(data)).toEqual(callback);
    expect(utf8Length(data)).toBeLessThanOrEqual(callbackDataMaxBytes);
  });

  it('stays within 64 bytes for every action with the largest id', () => {
    const actions: AlertCallback[] = [
      { action: 'investigate', issueId: largestIssueId },
      { action: 'resolve', issueId: largestIssueId },
      { action: 'reopen', issueId: largestIssueId },
      { action: 'ignore', issueId: largestIssueId },
      { action: 'unmute', issueId: largestIssueId },
      { action: 'mute', issueId: largestIssueId, hours: 8760 },
    ];
    for (const callback of actions) {
      const data = encodeCallback(callback);
      expect(utf8Length(data)).toBeLessThanOrEqual(callbackDataMaxBytes);
      expect(decodeCallback(data)).toEqual(callback);
    }
  });

  it.each([
    ['v2|r|123456', 'unknown callback version v2'],
    ['garbage', 'not an alert button'],
    ['', 'not an alert button'],
    ['r|123456', 'not an alert button'],
    ['v1|x|123456', 'unknown action code'],
    ['v1|r|abc', 'invalid issue id'],
    ['v1|r|0123', 'invalid issue id'],
    ['v1|r|123456789012345678901', 'invalid issue id'],
    ['v1|r|123456|9', 'unexpected fields'],
    ['v1|m|123456', 'mute needs hours'],
    ['v1|m|123456|1.5', 'mute needs hours'],
    ['v1|m|123456|0', 'mute hours must be from 1 to 8760'],
    ['v1|m|123456|9999', 'mute hours must be from 1 to 8760'],
    [`v1|r|1|${'x'.repeat(70)}`, 'longer than 64 bytes'],
  ])('%j decodes to an error (%s)', (data, message) => {
    const decoded = decodeCallback(data);
    expect('error' in decoded && decoded.error).toContain(message);
  });

  it.each<AlertCallback>([
    { action: 'resolve', issueId: '' },
    { action: 'resolve', issueId: '12a' },
    { action: 'resolve', issueId: '1'.repeat(21) },
    { action: 'mute', issueId: '1', hours: 0 },
    { action: 'mute', issueId: '1', hours: 2.5 },
    { action: 'mute', issueId: '1', hours: 10_000 },
  ])('refuses to encode %j', (callback) => {
    expect(() => encodeCallback(callback)).toThrow(RangeError);
  });
});

describe('message-level callbacks (a digest\'s "Mute all")', () => {
  it('round-trips and stays small', () => {
    expect(encodeMessageCallback({ action: 'mute-rest', hours: 1 })).toBe('v1|mr|1');
    expect(decodeCallback('v1|mr|1')).toEqual({ action: 'mute-rest', hours: 1 });
    expect(decodeCallback('v1|mr|8760')).toEqual({ action: 'mute-rest', hours: 8760 });
  });

  it.each(['v1|mr|0', 'v1|mr|x', 'v1|mr', 'v1|mr|1|2'])('%j decodes to an error', (data) => {
    expect('error' in decodeCallback(data)).toBe(true);
  });
});
