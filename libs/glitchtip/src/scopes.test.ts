import { describe, expect, it } from '@jest/globals';
import { missingScopes, triageRequiredScopes, type ScopeRequirement } from './scopes';

describe('missingScopes', () => {
  it.each<[string, ScopeRequirement[], string[], string[]]>([
    ['exact scope present', ['event:read'], ['event:read'], []],
    ['a stronger level of the same resource', ['event:read'], ['event:admin'], []],
    ['write satisfies read', ['event:read'], ['event:write'], []],
    ['read does not satisfy write', ['event:write'], ['event:read'], ['event:write']],
    ['another resource does not count', ['org:read'], ['event:admin'], ['org:read']],
    ['any-of list met by one of its scopes', [['event:read', 'event:admin']], ['event:admin'], []],
    ['any-of list is exact: event:write is not in it', [['event:read', 'event:admin']], ['event:write'], ['event:read or event:admin']],
    ['several missing, each named once', ['event:write', 'org:read', 'org:read'], ['event:read'], ['event:write', 'org:read']],
    ['unknown level needs the exact scope', ['project:releases'], ['project:admin'], ['project:releases']],
  ])('%s', (_name, required, granted, expected) => {
    expect(missingScopes(required, granted)).toEqual(expected);
  });

  it("accepts the contract example token (event:read, event:write, org:read) for everything Triage calls", () => {
    expect(missingScopes(triageRequiredScopes, ['project:read', 'event:read', 'event:write', 'org:read'])).toEqual([]);
  });
});
