import { describe, it, expect } from '@jest/globals';
import { checkBulkQuery, parseBulkCommand } from './bulk-query';

describe('checkBulkQuery', () => {
  it.each([
    ['level:error KeyError', 'is:unresolved level:error KeyError'],
    ['is:ignored level:warning', 'is:ignored level:warning'],
    ['  environment:production os.name:"Linux Vista"  ', 'is:unresolved environment:production os.name:"Linux Vista"'],
    ['TimeoutError in checkout', 'is:unresolved TimeoutError in checkout'],
  ])('accepts %j as %j', (raw, query) => {
    expect(checkBulkQuery(raw)).toMatchObject({ ok: true, query });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['is:assigned', /not a status/],
    ['level:critical', /not a level/],
    ['KeyError level:error', /after free text/],
    ['title:"unclosed', /unclosed quote/],
    ['!level:error', /negation/],
    ['times_seen:>10', /not supported/],
    ['count:>10', /comparisons/],
    ['release:[a,b]', /lists/],
    ['environment:', /no value/],
    ['a\nb', /control characters/],
    ['x'.repeat(201), /longer than 200/],
    ['0123456789abcdef0123456789abcdef', /event id/],
  ])('refuses %j', (raw, reason) => {
    const checked = checkBulkQuery(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(reason);
  });
});

describe('parseBulkCommand', () => {
  it.each([
    [['ignore', 'level:warning', 'environment:staging'], { action: 'ignore', query: 'level:warning environment:staging' }],
    [['RESOLVE', 'KeyError'], { action: 'resolve', query: 'KeyError' }],
  ])('%j', (args, expected) => {
    expect(parseBulkCommand(args)).toEqual(expected);
  });

  it.each([[[]], [['delete', 'x']], [['ignore']], [['ignore', 'is:assigned']]])('answers usage for %j', (args) => {
    expect(parseBulkCommand(args)).toHaveProperty('usage');
  });
});
