import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { createGlitchTipFake, createTestDatabase, type TestDatabase } from '@triage/testing';
import { applyBulk, previewBulk, readBackupFile, restoreBulk, type BulkDeps } from '../index';

const token = 'bulk-test-token-0123456789abcdefghijklmnop';
const fake = createGlitchTipFake({ token, scopes: ['event:read', 'event:write', 'org:read'] });
const logger = createLogger({ name: 'bulk-test', level: 'silent' });

describe('bulk actions with a backup first', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;
  let dataDir: string;
  let clock = new Date('2026-12-03T10:00:00Z');

  const deps = (overrides: Partial<BulkDeps> = {}): BulkDeps => ({
    db: handle.db,
    glitchtip: new GlitchTipClient({ baseUrl: fake.url, token, org: 'acme', logger, retries: 0, timeoutMs: 2_000, rateLimit: { perSecond: 1_000, concurrency: 4 } }),
    dataDir,
    log: logger,
    now: () => clock,
    ...overrides,
  });

  beforeAll(async () => {
    await fake.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'triage-bulk-'));
  });

  afterAll(async () => {
    await sql?.end();
    await handle?.close();
    await database?.drop();
    await fake.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    fake.reset();
    clock = new Date('2026-12-03T10:00:00Z');
  });

  /** 250 KeyErrors in production (a few already ignored or resolved), and other issues the query must not touch. */
  function seedMixed(): Record<string, string> {
    for (let index = 0; index < 250; index += 1) {
      const status = index % 25 === 0 ? 'ignored' : 'unresolved';
      fake.seedIssue({ title: `KeyError: field_${index}`, level: 'error', status, tags: { environment: 'production' }, lastSeen: new Date(Date.UTC(2026, 11, 3, 9, 0, index)) });
    }
    for (let index = 0; index < 10; index += 1) fake.seedIssue({ title: `TimeoutError ${index}`, level: 'warning', tags: { environment: 'production' } });
    fake.seedIssue({ title: 'KeyError: staging only', level: 'error', tags: { environment: 'staging' } });
    return { ...fake.statuses };
  }

  it('previews what the query matches, as GlitchTip counts it, and stores nothing on a dry run', async () => {
    seedMixed();
    const query = 'level:error environment:production KeyError';
    const outcome = await previewBulk(deps(), { action: 'resolve', query, requestedBy: 'cli:ana', via: 'cli', maxIssues: 1_000, dryRun: true });
    const expected = fake.issues.filter((issue) => issue.status === 'unresolved' && issue.level === 'error' && issue.tags.environment?.production && issue.title.includes('KeyError'));
    expect(outcome.kind).toBe('preview');
    if (outcome.kind !== 'preview') return;
    expect(outcome.query).toBe(`is:unresolved ${query}`);
    expect(outcome.targets).toHaveLength(expected.length);
    expect(new Set(outcome.targets.map((target) => target.issueId))).toEqual(new Set(expected.map((issue) => String(issue.id))));
    expect(outcome.operation).toBeUndefined();
    expect(await sql`select id from bulk_operations`).toHaveLength(0);
    expect(fake.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
  });

  it('refuses a query GlitchTip would misread before sending it', async () => {
    for (const query of ['', 'is:assigned', 'KeyError level:error', 'title:"unclosed', '!level:error']) {
      const outcome = await previewBulk(deps(), { action: 'ignore', query, requestedBy: 'cli:ana', via: 'cli', maxIssues: 10 });
      expect(outcome.kind).toBe('invalid');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses more matches than allowed', async () => {
    seedMixed();
    const outcome = await previewBulk(deps(), { action: 'resolve', query: 'level:error', requestedBy: 'telegram:7', via: 'telegram', maxIssues: 100 });
    expect(outcome).toMatchObject({ kind: 'too-many', count: 100, truncated: true });
  });

  it('backs up every issue, then fails half-way; the restore puts every issue back', async () => {
    const before = seedMixed();
    const preview = await previewBulk(deps(), { action: 'resolve', query: 'level:error environment:production', requestedBy: 'cli:ana', via: 'cli', maxIssues: 1_000 });
    if (preview.kind !== 'preview' || !preview.operation) throw new Error(`expected a stored preview, got ${preview.kind}`);
    const targetIds = preview.targets.map((target) => target.issueId);
    expect(targetIds).toHaveLength(240);
    // Someone ignores one issue between preview and confirm: the backup must hold that, not the preview's view.
    fake.issue(Number(targetIds[5]))!.status = 'ignored';
    const priorAtConfirm = { ...fake.statuses };
    // The first bulk PUT goes through, the second fails for good.
    fake.inject.failMatching({ method: 'PUT', path: /\/organizations\/acme\/issues\/$/, after: 1, times: 1, status: 500 });

    const applied = await applyBulk(deps(), { operationId: preview.operation.id, actor: 'cli:ana' });
    expect(applied.kind).toBe('failed');
    if (applied.kind !== 'failed') return;
    expect(applied.written).toBe(100);
    const puts = fake.requests.filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(2);
    for (const put of puts) expect(put.query.getAll('id').length).toBeLessThanOrEqual(100);
    // The first write came after every backup read.
    const firstPut = fake.requests.findIndex((request) => request.method === 'PUT');
    expect(fake.requests.slice(firstPut).some((request) => request.method === 'GET')).toBe(false);

    const backup = await readBackupFile(applied.backupFile!);
    expect(backup.issues).toHaveLength(240);
    for (const issue of backup.issues) expect(issue.priorStatus).toBe(priorAtConfirm[issue.id]);
    const rows = await sql`select issue_id, prior_status, applied_at from bulk_operation_items where operation_id = ${preview.operation.id}`;
    expect(rows).toHaveLength(240);
    for (const row of rows) expect(row.prior_status).toBe(priorAtConfirm[row.issue_id as string]);
    const [state] = await sql`select state, error from bulk_operations where id = ${preview.operation.id}`;
    expect(state?.state).toBe('failed');
    const audits = await sql`select result from audit_log where action = 'bulk.resolve' order by id`;
    expect(audits.map((row) => row.result)).toEqual(['ok', 'error']);
    expect(Object.values(fake.statuses).filter((status) => status === 'resolved').length).toBe(100);

    const restored = await restoreBulk(deps(), { operationId: preview.operation.id, actor: 'cli:ana' });
    expect(restored.kind).toBe('restored');
    expect(fake.statuses).toEqual(priorAtConfirm);
    expect(fake.statuses).not.toEqual(before);
    const [after] = await sql`select state from bulk_operations where id = ${preview.operation.id}`;
    expect(after?.state).toBe('restored');
  });

  it('applies once: a second confirm of the same preview changes nothing', async () => {
    seedMixed();
    const preview = await previewBulk(deps(), { action: 'ignore', query: 'level:warning', requestedBy: 'telegram:7', via: 'telegram', maxIssues: 500 });
    if (preview.kind !== 'preview' || !preview.operation) throw new Error('expected a preview');
    const first = await applyBulk(deps(), { operationId: preview.operation.id, actor: 'telegram:7' });
    expect(first).toMatchObject({ kind: 'applied', written: 10 });
    const puts = fake.requests.filter((request) => request.method === 'PUT').length;
    const second = await applyBulk(deps(), { operationId: preview.operation.id, actor: 'telegram:7' });
    expect(second.kind).toBe('not-pending');
    expect(fake.requests.filter((request) => request.method === 'PUT').length).toBe(puts);
  });

  it("refuses someone else's confirm and an expired preview, writing nothing", async () => {
    seedMixed();
    const request = { action: 'resolve' as const, query: 'level:warning', requestedBy: 'telegram:7', via: 'telegram' as const, maxIssues: 500 };
    const preview = await previewBulk(deps(), request);
    if (preview.kind !== 'preview' || !preview.operation) throw new Error('expected a preview');
    expect((await applyBulk(deps(), { operationId: preview.operation.id, actor: 'telegram:666' })).kind).toBe('not-requester');

    clock = new Date(clock.getTime() + 10 * 60_000 + 1);
    expect((await applyBulk(deps(), { operationId: preview.operation.id, actor: 'telegram:7' })).kind).toBe('expired');
    const [row] = await sql`select state from bulk_operations where id = ${preview.operation.id}`;
    expect(row?.state).toBe('expired');
    expect(fake.requests.filter((entry) => entry.method === 'PUT')).toHaveLength(0);
    expect(Object.values(fake.statuses).filter((status) => status === 'resolved')).toHaveLength(0);
  });

  it('restores from the JSON backup when the database no longer knows the operation', async () => {
    seedMixed();
    const preview = await previewBulk(deps(), { action: 'ignore', query: 'level:warning', requestedBy: 'cli:ana', via: 'cli', maxIssues: 500 });
    if (preview.kind !== 'preview' || !preview.operation) throw new Error('expected a preview');
    const before = { ...fake.statuses };
    expect((await applyBulk(deps(), { operationId: preview.operation.id, actor: 'cli:ana' })).kind).toBe('applied');
    expect(fake.statuses).not.toEqual(before);
    await sql`delete from bulk_operation_items where operation_id = ${preview.operation.id}`;
    await sql`delete from bulk_operations where id = ${preview.operation.id}`;
    const restored = await restoreBulk(deps(), { operationId: preview.operation.id, actor: 'cli:ana' });
    expect(restored).toMatchObject({ kind: 'restored-from-file', written: 10 });
    expect(fake.statuses).toEqual(before);
    expect((await restoreBulk(deps(), { operationId: '20200101-000000', actor: 'cli:ana' })).kind).toBe('not-found');
  });

  it('under DRY_RUN backs up and audits but writes no status', async () => {
    seedMixed();
    const before = { ...fake.statuses };
    const dryClient = new GlitchTipClient({ baseUrl: fake.url, token, org: 'acme', logger, retries: 0, dryRun: true, rateLimit: { perSecond: 1_000, concurrency: 4 } });
    const preview = await previewBulk(deps({ glitchtip: dryClient }), { action: 'resolve', query: 'level:warning', requestedBy: 'cli:ana', via: 'cli', maxIssues: 500 });
    if (preview.kind !== 'preview' || !preview.operation) throw new Error('expected a preview');
    const outcome = await applyBulk(deps({ glitchtip: dryClient }), { operationId: preview.operation.id, actor: 'cli:ana' });
    expect(outcome).toMatchObject({ kind: 'applied', dryRun: true, written: 10 });
    expect(fake.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
    expect(fake.statuses).toEqual(before);
    const audits = await sql`select result from audit_log where details->>'operationId' = ${preview.operation.id}`;
    expect(audits.map((row) => row.result)).toEqual(['dry-run']);
  });
});
