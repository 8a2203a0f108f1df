import { describe, expect, it } from '@jest/globals';
import { readGlitchTipContract } from '@triage/testing';
import {
  bulkUpdateResponseSchema,
  commentListSchema,
  commentSchema,
  eventSchema,
  issueListSchema,
  issueSchema,
  issueStatsListSchema,
  issueTagListSchema,
  organizationListSchema,
  rootSchema,
  statsV2Schema,
} from './schemas';

function contract(name: string): { body: unknown; [key: string]: unknown } {
  return readGlitchTipContract(name);
}

describe('schemas parse every contract example', () => {
  it.each([
    ['api_issues_list', issueListSchema, (c: { body: unknown }) => c.body],
    ['api_issue_detail', issueSchema, (c: { body: unknown }) => c.body],
    ['api_issue_update_single', issueSchema, (c: { body: unknown }) => c.body],
    ['api_issues_bulk_update', bulkUpdateResponseSchema, (c: { body: unknown }) => c.body],
    ['api_issue_latest_event', eventSchema, (c: { body: unknown }) => c.body],
    ['api_issue_tags', issueTagListSchema, (c: { body: unknown }) => c.body],
    ['api_issue_comments', commentListSchema, (c: { body: unknown }) => (c as unknown as { list: { body: unknown } }).list.body],
    ['api_issue_comments', commentSchema, (c: { body: unknown }) => (c as unknown as { create: { body: unknown } }).create.body],
    ['api_organizations_list', organizationListSchema, (c: { body: unknown }) => c.body],
    ['api_root_with_token', rootSchema, (c: { body: unknown }) => c.body],
    ['api_issues_stats', issueStatsListSchema, (c: { body: unknown }) => c.body],
    ['api_stats_v2', statsV2Schema, (c: { body: unknown }) => c.body],
  ] as const)('%s', (name, schema, pick) => {
    const result = schema.safeParse(pick(contract(name)));
    expect(result.error?.issues).toBeUndefined();
    expect(result.success).toBe(true);
  });
});

describe('quirks', () => {
  it('exposes the string count as a number', () => {
    const [issue] = issueListSchema.parse(contract('api_issues_list').body);
    expect(issue!.count).toBe(57);
    const [stats] = issueStatsListSchema.parse(contract('api_issues_stats').body);
    expect(stats!.count).toBe(57);
  });

  it('reads the snake_case single-issue PUT answer into the camelCase issue shape', () => {
    const updated = issueSchema.parse(contract('api_issue_update_single').body);
    const detail = issueSchema.parse(contract('api_issue_detail').body);
    expect(updated.status).toBe('resolved');
    expect({ ...updated, status: 'unresolved' }).toEqual(detail);
  });

  it('keeps projectID as an int and accepts a Sentry-style string', () => {
    const body = contract('api_issue_latest_event').body as Record<string, unknown>;
    expect(eventSchema.parse(body).projectID).toBe(3);
    expect(eventSchema.parse({ ...body, projectID: '3' }).projectID).toBe(3);
  });

  it('drops the token from the root answer so it can be logged', () => {
    const root = rootSchema.parse(contract('api_root_with_token').body);
    expect(root.auth).toEqual({ id: 3, label: 'integration', scopes: ['project:read', 'event:read', 'event:write', 'org:read'], created: '2025-06-01T10:00:00Z' });
    expect(JSON.stringify(root)).not.toContain('token');
  });

  it('turns null culprit and metadata into empty values and a missing permalink into null', () => {
    const { permalink: _permalink, ...body } = contract('api_issue_detail').body as Record<string, unknown>;
    const issue = issueSchema.parse({ ...body, culprit: null, metadata: null });
    expect([issue.culprit, issue.metadata, issue.permalink]).toEqual(['', {}, null]);
  });

  it.each([
    ['a negative count', { count: '-1' }],
    ['a non-numeric count', { count: 'many' }],
    ['an unknown status', { status: 'muted' }],
    ['a missing title', { title: undefined }],
  ])('rejects %s', (_name, change) => {
    expect(issueSchema.safeParse({ ...(contract('api_issue_detail').body as object), ...change }).success).toBe(false);
  });

  it('rejects a malformed exception entry instead of silently treating it as another entry type', () => {
    const body = contract('api_issue_latest_event').body as { entries: unknown[] };
    const broken = { ...body, entries: [{ type: 'exception', data: { values: [{ stacktrace: { frames: [{ lineNo: 'eighty' }] } }] } }] };
    expect(eventSchema.safeParse(broken).success).toBe(false);
  });
});
