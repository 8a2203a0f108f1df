import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import postgres from 'postgres';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { currentEpisode, experimentGroupOf, recordOutcomeEvent } from './episode-repository';
import { holdoutGroupOf } from './holdout';
import { manualClock } from './test-clock';

describe('episodes table', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url, { max: 8 });
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  });

  afterAll(async () => {
    await sql?.end();
    await handle?.close();
    await database?.drop();
  });

  it('keeps one row per episode: alert, acknowledge, resolve, then a regression in a second row', async () => {
    const clock = manualClock('2026-12-01T08:00:00Z');
    const db = handle.db;
    await sql`insert into alerts (issue_id, source, title) values ('500', 'webhook', 'KeyError')`;
    await recordOutcomeEvent(db, { type: 'alerted', issueId: '500', at: clock.now(), regression: false, holdoutPercent: 0 });
    await recordOutcomeEvent(db, { type: 'action', issueId: '500', at: clock.advanceMinutes(3), action: 'acknowledge', actor: '@ana' });
    expect(await currentEpisode(db, '500')).toMatchObject({ state: 'acknowledged', acknowledgedBy: '@ana' });
    const [shown] = await sql`select outcome from alerts where issue_id = '500'`;
    expect(shown?.outcome).toEqual({ acknowledgedBy: '@ana', acknowledgedAt: '2026-12-01T08:03:00.000Z', group: 'treatment' });
    await recordOutcomeEvent(db, { type: 'action', issueId: '500', at: clock.advanceMinutes(9), action: 'resolve', actor: '@ana' });
    const regression = await recordOutcomeEvent(db, { type: 'alerted', issueId: '500', at: clock.advanceMinutes(120), regression: true, holdoutPercent: 0 });
    expect(regression).toMatchObject({ change: 'open', episode: { seq: 2 } });
    // The new episode's alert shows no acknowledgement yet.
    const [fresh] = await sql`select outcome from alerts where issue_id = '500'`;
    expect(fresh?.outcome).toEqual({ acknowledgedBy: null, acknowledgedAt: null, group: 'treatment' });

    const rows = await sql`
      select seq, state, experiment_group, regression,
             extract(epoch from acknowledged_at - alerted_at) / 60 as ack_minutes,
             extract(epoch from closed_at - alerted_at) / 60 as resolve_minutes
      from episodes where issue_id = '500' order by seq`;
    expect(rows.map((row) => ({ ...row, ack_minutes: row.ack_minutes === null ? null : Number(row.ack_minutes), resolve_minutes: row.resolve_minutes === null ? null : Number(row.resolve_minutes) }))).toEqual([
      { seq: 1, state: 'resolved', experiment_group: 'treatment', regression: false, ack_minutes: 3, resolve_minutes: 12 },
      { seq: 2, state: 'open', experiment_group: 'treatment', regression: true, ack_minutes: null, resolve_minutes: null },
    ]);
  });

  it('serializes concurrent events of one issue: ten copies of one regression open one episode', async () => {
    const db = handle.db;
    const at = new Date('2026-12-02T08:00:00Z');
    await recordOutcomeEvent(db, { type: 'alerted', issueId: '600', at, regression: false, holdoutPercent: 0 });
    await recordOutcomeEvent(db, { type: 'closed-outside', issueId: '600', at: new Date(at.getTime() + 60_000), status: 'resolved' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordOutcomeEvent(db, { type: 'alerted', issueId: '600', at: new Date(at.getTime() + 120_000), regression: true, holdoutPercent: 0 })),
    );
    // The first opens episode 2; the copies (a retried job) find an episode no older than themselves and add nothing.
    expect(results.filter((result) => result.change === 'open')).toHaveLength(1);
    expect(results.filter((result) => result.change === 'none')).toHaveLength(9);
    const rows = await sql`select seq, alert_count from episodes where issue_id = '600' order by seq`;
    expect(rows).toEqual([{ seq: 1, alert_count: 1 }, { seq: 2, alert_count: 1 }]);
  });

  it('keeps the group an issue was first alerted in, whatever the holdout says now', async () => {
    const db = handle.db;
    const id = ['700', '701', '702', '703', '704', '705', '706', '707'].find((candidate) => holdoutGroupOf(candidate, 50) === 'control')!;
    await recordOutcomeEvent(db, { type: 'alerted', issueId: id, at: new Date('2026-12-02T09:00:00Z'), regression: false, holdoutPercent: 0 });
    expect(await experimentGroupOf(db, id, 50)).toBe('treatment');
    expect(await experimentGroupOf(db, '999999', 100)).toBe('control');
  });
});
