import { describe, expect, it } from '@jest/globals';
import { isRegression, type KnownIssueState } from './regression';

describe('isRegression', () => {
  it.each<[string, KnownIssueState | undefined, string, number | undefined, boolean]>([
    ['unknown issue', undefined, 'unresolved', 9, false],
    ['resolved, unresolved again with more events', { status: 'resolved', eventCount: 5 }, 'unresolved', 6, true],
    ['ignored, unresolved again with more events', { status: 'ignored', eventCount: 5 }, 'unresolved', 6, true],
    ['reopened without new events', { status: 'resolved', eventCount: 5 }, 'unresolved', 5, false],
    ['still resolved', { status: 'resolved', eventCount: 5 }, 'resolved', 9, false],
    ['was open all along', { status: 'unresolved', eventCount: 5 }, 'unresolved', 9, false],
    ['webhook only (no count): the alert itself means new events', { status: 'resolved', eventCount: 5 }, 'unresolved', undefined, true],
  ])('%s', (_name, state, status, count, expected) => {
    expect(isRegression(state, status, count)).toBe(expected);
  });
});
