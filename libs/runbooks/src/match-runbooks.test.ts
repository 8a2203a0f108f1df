import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readGlitchTipContract, repoRoot } from '@triage/testing';
import { bestAutoLink, literalLength, matchRunbooks } from './match-runbooks';
import { lintRunbooks } from './lint-runbooks';
import { readRunbookFiles } from './runbook-files';
import type { PreparedRunbook } from './prepare-runbooks';
import type { IssueFacts } from './runbook';

let shipped: PreparedRunbook[];

beforeAll(async () => {
  shipped = lintRunbooks(await readRunbookFiles(path.join(repoRoot, 'runbooks'))).runbooks;
});

function best(facts: IssueFacts): string | undefined {
  return matchRunbooks(shipped, facts).matches[0]?.runbook.name;
}

const contractIssues: Array<{ title: string; culprit: string; level: string }> = [
  ...readGlitchTipContract('api_issues_list').body,
  readGlitchTipContract('api_issue_detail').body,
];
const webhookTitles: string[] = readGlitchTipContract('webhook_issue_alert_generic').attachments.map((attachment: { title: string }) => attachment.title);

describe('matching the shipped runbooks', () => {
  it.each(contractIssues.map((issue): [string, IssueFacts] => [issue.title, issue]))('contract issue %s matches no runbook', (_title, issue) => {
    expect(best(issue)).toBeUndefined();
  });

  it.each(webhookTitles)('contract webhook title %s matches no runbook', (title) => {
    expect(best({ title, level: 'error' })).toBeUndefined();
  });

  it.each<[string, IssueFacts, string | undefined]>([
    ['node-postgres pool timeout', { title: 'Error: timeout exceeded when trying to connect', culprit: 'pg-pool in Pool.connect', level: 'error' }, 'database-pool-exhausted'],
    ['Postgres refusing clients', { title: 'error: sorry, too many clients already', level: 'fatal' }, 'database-pool-exhausted'],
    ['Knex pool full', { title: 'KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?', level: 'error' }, 'database-pool-exhausted'],
    ['Prisma P2024', { title: 'PrismaClientKnownRequestError', message: 'Timed out fetching a new connection from the connection pool. (Current connection pool timeout: 10, connection limit: 5)', level: 'error' }, 'database-pool-exhausted'],
    ['Postgres unreachable', { title: 'Error: connect ETIMEDOUT 10.0.3.12:5432', level: 'error' }, 'database-pool-exhausted'],
    ['a pool timeout logged only as info', { title: 'Error: timeout exceeded when trying to connect', level: 'info' }, undefined],
    ['Redis refused', { title: 'Error: connect ECONNREFUSED 127.0.0.1:6379', culprit: 'TCPConnectWrap.afterConnect [as oncomplete]', level: 'error' }, 'redis-connection-refused'],
    ['ioredis giving up', { title: 'MaxRetriesPerRequestError: Reached the max retries per request limit (which is 20).', level: 'error' }, 'redis-connection-refused'],
    ['Redis replica after failover', { title: "ReplyError: READONLY You can't write against a read only replica.", level: 'error' }, 'redis-connection-refused'],
    ['another service refusing', { title: 'Error: connect ECONNREFUSED 10.0.0.5:8080', level: 'error' }, undefined],
    ['axios 429', { title: 'AxiosError: Request failed with status code 429', culprit: 'settle(node_modules/axios/lib/core/settle)', level: 'error' }, 'upstream-rate-limited'],
    ['got 429', { title: 'HTTPError: Response code 429 (Too Many Requests)', level: 'error' }, 'upstream-rate-limited'],
    ['an SDK rate limit', { title: 'RateLimitError: Rate limit reached for default-model in organization', level: 'error' }, 'upstream-rate-limited'],
    ['jwt expired', { title: 'TokenExpiredError: jwt expired', culprit: 'verify(node_modules/jsonwebtoken/verify)', level: 'error' }, 'expired-session-or-token'],
    ['jose expiry', { title: 'JWTExpired: "exp" claim timestamp check failed', level: 'warning' }, 'expired-session-or-token'],
    ['OAuth refresh', { title: 'Error: invalid_grant', message: 'Token has been expired or revoked.', level: 'error' }, 'expired-session-or-token'],
    ['upstream 401', { title: 'AxiosError: Request failed with status code 401', level: 'error' }, 'expired-session-or-token'],
    ['missing dependency', { title: "Error: Cannot find module 'express'", culprit: 'Module._resolveFilename(node:internal/modules/cjs/loader)', level: 'fatal' }, 'module-not-found-after-deploy'],
    ['ESM missing package', { title: "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /app/dist/server.js", level: 'fatal' }, 'module-not-found-after-deploy'],
    ['stale browser chunk', { title: 'ChunkLoadError: Loading chunk 532 failed.', level: 'error' }, 'module-not-found-after-deploy'],
    ['a plain TypeError', { title: "TypeError: Cannot read properties of undefined (reading 'map')", level: 'error' }, undefined],
    ['a 500 from upstream', { title: 'AxiosError: Request failed with status code 500', level: 'error' }, undefined],
  ])('%s', (_case, facts, expected) => {
    expect(best(facts)).toBe(expected);
  });
});

describe('matchRunbooks ranking and explanations', () => {
  const runbook = (name: string, frontmatter: string) => ({ file: `runbooks/${name}.md`, text: `---\n${frontmatter}\n---\n# ${name}\n` });
  const set = lintRunbooks([
    runbook('generic-timeout', "patterns: ['timeout']"),
    runbook('db-timeout', "patterns: ['database timeout']\ncomponents: [api]"),
    runbook('urgent', "patterns: ['timeout']\npriority: 5\nenvironments: [production]"),
    runbook('manual', "patterns: ['disk full']\nauto_link: false"),
  ]).runbooks;

  it('prefers priority, then the more specific match, and says why', () => {
    const outcome = matchRunbooks(set, { title: 'Error: database timeout', component: 'api', environment: 'staging', level: 'error' });
    expect(outcome.matches.map((match) => match.runbook.name)).toEqual(['db-timeout', 'generic-timeout']);
    expect(outcome.matches[0]!.why).toEqual(['title matches /database timeout/: "Error: database timeout"', 'component "api" is one of api']);
    const production = matchRunbooks(set, { title: 'Error: database timeout', component: 'api', environment: 'production' });
    expect(production.matches[0]!.runbook.name).toBe('urgent');
  });

  it('matches the culprit and message too, and excerpts long texts', () => {
    const long = `${'x'.repeat(100)} database timeout ${'y'.repeat(100)}`;
    const outcome = matchRunbooks(set, { title: 'Error', message: long, component: 'api' });
    expect(outcome.matches[0]!.why[0]).toBe(`message matches /database timeout/: "…${'x'.repeat(29)} database timeout ${'y'.repeat(29)}…"`);
  });

  it('never auto-links a runbook with auto_link: false, but still matches it', () => {
    const outcome = matchRunbooks(set, { title: 'OSError: disk full' });
    expect(outcome.matches.map((match) => match.runbook.name)).toEqual(['manual']);
    expect(bestAutoLink(outcome)).toBeUndefined();
  });

  it('names the closest runbooks and what kept them out when none matches', () => {
    const outcome = matchRunbooks(set, { title: 'Error: database unavailable after timeout', culprit: 'db.connect', component: 'worker' });
    expect(outcome.matches.map((match) => match.runbook.name)).toEqual(['generic-timeout']);
    const none = matchRunbooks(set, { title: 'Timed out: database', culprit: 'db.connect', component: 'worker' });
    expect(none.matches).toEqual([]);
    expect(none.candidates.map((candidate) => [candidate.runbook.name, candidate.reason])).toEqual([]);
    const wordy = matchRunbooks(set, { title: 'OSError: disk almost full', component: 'worker' });
    expect(wordy.candidates.map((candidate) => [candidate.runbook.name, candidate.reason])).toEqual([
      ['manual', 'shares the words "disk", "full" but no pattern matches'],
    ]);
    // A single shared word is chance, not closeness.
    expect(matchRunbooks(set, { title: 'database unavailable' }).candidates).toEqual([]);
    const restricted = matchRunbooks(set, { title: 'database timeout', component: 'worker', environment: 'staging' }).matches.map((match) => match.runbook.name);
    expect(restricted).toEqual(['generic-timeout']);
    const onlyRestricted = matchRunbooks(set.filter((prepared) => prepared.runbook.name === 'db-timeout'), { title: 'database timeout' });
    expect(onlyRestricted.candidates[0]!.reason).toBe('title matches /database timeout/ but its component is unknown (the runbook is for api)');
  });

  it.each([
    ['pool exhausted', 14],
    ['pool (is )?(exhausted|full)', 9],
    ['.*', 0],
    ['\\d+ failed', 7],
  ])('literalLength(%s) = %d', (source, expected) => {
    expect(literalLength(source)).toBe(expected);
  });
});
