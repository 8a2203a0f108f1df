import { describe, expect, it } from '@jest/globals';
import { matchesIssueQuery, parseIssueQuery, parseStartEnd, shlexSplit, sortIssues, type SearchableIssue } from './issue-search';

describe('shlexSplit', () => {
  it.each<[string, string[]]>([
    ['is:unresolved level:error', ['is:unresolved', 'level:error']],
    ['os.name:"Linux Vista" boom', ['os.name:Linux Vista', 'boom']],
    ["a 'b c' d", ['a', 'b c', 'd']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['escaped\\ space', ['escaped space']],
    ['""', ['']],
    ['', []],
  ])('%j', (input, expected) => {
    expect(shlexSplit(input)).toEqual(expected);
  });

  it('throws on an unclosed quote, as Python does (GlitchTip answers 500)', () => {
    expect(() => shlexSplit('title:"open')).toThrow('No closing quotation');
  });
});

describe('parseIssueQuery', () => {
  it.each<[string, ReturnType<typeof parseIssueQuery>]>([
    ['is:unresolved', { status: 'unresolved', hasTags: [], tagEquals: [] }],
    ['is:assigned', { status: null, hasTags: [], tagEquals: [] }],
    ['level:error has:release environment:production', { level: 'error', hasTags: ['release'], tagEquals: [{ key: 'environment', value: 'production' }] }],
    ['environment:prod division by zero', { hasTags: [], tagEquals: [{ key: 'environment', value: 'prod' }], freeText: 'division by zero' }],
    // free text runs to the end, so a later key:value is part of it
    ['timeout is:resolved', { hasTags: [], tagEquals: [], freeText: 'timeout is:resolved' }],
    ['user.email:x@y.z', { hasTags: [], tagEquals: [{ key: 'user.email', value: 'x@y.z' }] }],
    ['url:http://a/b', { hasTags: [], tagEquals: [{ key: 'url', value: 'http://a/b' }] }],
  ])('%j', (query, expected) => {
    expect(parseIssueQuery(query)).toEqual(expected);
  });
});

const base: SearchableIssue = {
  id: 1,
  status: 'unresolved',
  level: 'error',
  title: 'ZeroDivisionError: division by zero',
  culprit: 'app.views.reports in compute_ratio',
  count: 5,
  firstSeen: new Date('2025-06-18T09:00:00Z'),
  lastSeen: new Date('2025-06-19T17:00:00Z'),
  projectId: 1,
  tags: { environment: { production: 4, staging: 1 }, release: { '1.2.3': 5 } },
};

describe('matchesIssueQuery', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['is:unresolved', true],
    ['is:resolved', false],
    ['is:for_review', false],
    ['level:error', true],
    ['level:warning', false],
    ['has:release', true],
    ['has:server_name', false],
    ['environment:staging', true],
    ['environment:production release:1.2.3', true],
    ['environment:production release:9.9.9', false],
    ['environment:Production', false],
    ['division zero', true],
    ['compute_ratio', true],
    ['division missing', false],
    ['Zero*', true],
    ['is:unresolved level:error environment:production division', true],
  ])('%j -> %s', (query, expected) => {
    expect(matchesIssueQuery(base, parseIssueQuery(query))).toBe(expected);
  });
});

describe('parseStartEnd', () => {
  const now = new Date('2025-06-19T12:00:00Z');
  it.each<[string, string | undefined]>([
    ['now', '2025-06-19T12:00:00.000Z'],
    ['now-15m', '2025-06-19T11:45:00.000Z'],
    ['now-2h', '2025-06-19T10:00:00.000Z'],
    ['now-1d', '2025-06-18T12:00:00.000Z'],
    ['2025-06-18T09:12:44.120Z', '2025-06-18T09:12:44.120Z'],
    ['2025-06-18T09:12:44+02:00', '2025-06-18T07:12:44.000Z'],
    ['2025-06-18T09:12:44', '2025-06-18T09:12:44.000Z'],
    ['2025-06-18', '2025-06-18T00:00:00.000Z'],
    ['now-15x', undefined],
    ['yesterday', undefined],
    ['1750000000', undefined],
  ])('%j', (value, expected) => {
    expect(parseStartEnd(value, now)?.toISOString()).toBe(expected);
  });
});

describe('sortIssues', () => {
  const issues: SearchableIssue[] = [
    { ...base, id: 1, count: 10, firstSeen: new Date(3_000), lastSeen: new Date(5_000) },
    { ...base, id: 2, count: 1, firstSeen: new Date(1_000), lastSeen: new Date(9_000) },
    { ...base, id: 3, count: 100, firstSeen: new Date(2_000), lastSeen: new Date(1_000) },
  ];
  it.each<[Parameters<typeof sortIssues>[1], number[]]>([
    ['-last_seen', [2, 1, 3]],
    ['last_seen', [3, 1, 2]],
    ['first_seen', [2, 3, 1]],
    ['-count', [3, 1, 2]],
    ['-priority', [3, 1, 2]],
  ])('%s', (sort, expected) => {
    expect(sortIssues(issues, sort).map((issue) => issue.id)).toEqual(expected);
  });
});
