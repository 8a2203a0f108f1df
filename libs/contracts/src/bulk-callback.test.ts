import { describe, it, expect } from '@jest/globals';
import { decodeCallback } from './callback-data';
import { decodeBulkCallback, encodeBulkCallback, isBulkCallback } from './bulk-callback';

describe('bulk callback data', () => {
  it('round-trips confirm and cancel, and alert buttons refuse it', () => {
    for (const decision of ['confirm', 'cancel'] as const) {
      const data = encodeBulkCallback(decision, '20261203-a1b2c3');
      expect(isBulkCallback(data)).toBe(true);
      expect(decodeBulkCallback(data)).toEqual({ decision, operationId: '20261203-a1b2c3' });
      expect(decodeCallback(data)).toHaveProperty('error');
    }
  });

  it.each(['b1|c', 'b1|z|20261203-a1b2c3', 'b1|c|20261203-A1B2C3', 'b1|c|x|y', 'v1|r|123'])('refuses %j', (data) => {
    expect(decodeBulkCallback(data)).toHaveProperty('error');
  });

  it('refuses to encode an id that is not one', () => {
    expect(() => encodeBulkCallback('confirm', '../etc')).toThrow(RangeError);
  });
});
