import type { Redis } from 'ioredis';
import type { GlitchTipClient, GlitchTipIssue } from '@triage/glitchtip';
import { framesFromEvent } from './frames';
import type { SimilarIssue } from './investigation';
import { isInvestigationComment } from './report';
import { signatureOf, similarityScore, type IssueSignature } from './similarity';

/** A closed issue in the candidate index: its signature and what the report shows of it. */
interface IndexedIssue {
  title: string;
  status: ClosedStatus;
  url: string | null;
  type: string | null;
  frames: string[];
  minhash: string;
}

export interface SimilarIndexDeps {
  redis: Redis;
  prefix: string;
  glitchtip: GlitchTipClient;
}

const refreshEverySeconds = 300;
const maxNewPerRefresh = 25;
export const minSimilarScore = 0.35;

const indexKey = (prefix: string) => `${prefix}:investigation:similar:index`;
const refreshKey = (prefix: string) => `${prefix}:investigation:similar:refreshed`;

function encodeMinhash(values: readonly number[]): string {
  return Buffer.from(Uint32Array.from(values).buffer).toString('base64');
}

function decodeMinhash(text: string): number[] {
  const buffer = Buffer.from(text, 'base64');
  return Array.from(new Uint32Array(buffer.buffer, buffer.byteOffset, Math.floor(buffer.length / 4)));
}

const backfillKey = (prefix: string, status: ClosedStatus) => `${prefix}:investigation:similar:backfill:${status}`;
/** The backfill cursor once the walk reached the last page: from then on only the head page is read. */
const backfillDone = 'done';

type ClosedStatus = 'resolved' | 'ignored';

/**
 * Adds resolved and ignored issues the index does not hold yet (at most 25 latest-event reads per refresh, at most one
 * refresh per 5 minutes across workers), and updates the status of those it holds. Each refresh reads the newest page
 * and, until the walk reaches the end, one more older page (its cursor kept in Redis), so issues closed long ago are
 * found too.
 */
export async function refreshSimilarIndex(deps: SimilarIndexDeps): Promise<{ added: number; skipped: boolean }> {
  const acquired = await deps.redis.set(refreshKey(deps.prefix), '1', 'EX', refreshEverySeconds, 'NX');
  if (acquired !== 'OK') return { added: 0, skipped: true };
  const budget = { left: maxNewPerRefresh };
  for (const status of ['resolved', 'ignored'] as const) {
    const head = await deps.glitchtip.listIssues({ query: `is:${status}`, sort: '-last_seen', limit: 100 });
    await indexPage(deps, head.items, status, budget);
    const cursor = await deps.redis.get(backfillKey(deps.prefix, status));
    if (cursor === backfillDone) continue;
    if (cursor === null) {
      await deps.redis.set(backfillKey(deps.prefix, status), head.nextCursor ?? backfillDone);
      continue;
    }
    const older = await deps.glitchtip.listIssues({ query: `is:${status}`, sort: '-last_seen', limit: 100, cursor });
    // Out of latest-event reads mid-page: the same page again next time, so none of it is skipped for good.
    if (await indexPage(deps, older.items, status, budget)) {
      await deps.redis.set(backfillKey(deps.prefix, status), older.nextCursor && older.nextCursor !== cursor ? older.nextCursor : backfillDone);
    }
  }
  return { added: maxNewPerRefresh - budget.left, skipped: false };
}

/** Indexes a page's issues within the budget; true when every issue of the page is now held. */
async function indexPage(deps: SimilarIndexDeps, issues: readonly GlitchTipIssue[], status: ClosedStatus, budget: { left: number }): Promise<boolean> {
  if (issues.length === 0) return true;
  const known = await deps.redis.hmget(indexKey(deps.prefix), ...issues.map((issue) => issue.id));
  let complete = true;
  for (const [index, issue] of issues.entries()) {
    const held = known[index];
    if (held) {
      const entry = JSON.parse(held) as IndexedIssue;
      if (entry.status !== status) await deps.redis.hset(indexKey(deps.prefix), issue.id, JSON.stringify({ ...entry, status }));
      continue;
    }
    if (budget.left <= 0) {
      complete = false;
      continue;
    }
    const entry = await indexEntry(deps, issue, status);
    await deps.redis.hset(indexKey(deps.prefix), issue.id, JSON.stringify(entry));
    budget.left -= 1;
  }
  return complete;
}

async function indexEntry(deps: SimilarIndexDeps, issue: GlitchTipIssue, status: ClosedStatus): Promise<IndexedIssue> {
  let signature: IssueSignature;
  try {
    const crash = framesFromEvent(await deps.glitchtip.getLatestEvent(issue.id));
    signature = signatureOf(crash.exceptionType ?? metadataString(issue, 'type'), crash.message ?? metadataString(issue, 'value') ?? issue.title, crash.frames);
  } catch {
    signature = signatureOf(metadataString(issue, 'type'), metadataString(issue, 'value') ?? issue.title, []);
  }
  return { title: issue.title.slice(0, 300), status, url: issue.permalink, type: signature.type, frames: signature.frames, minhash: encodeMinhash(signature.minhash) };
}

function metadataString(issue: GlitchTipIssue, key: string): string | null {
  const value = issue.metadata[key];
  return typeof value === 'string' ? value : null;
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** The closed issues most like this one, with the comments people left on them (newest first). */
export async function findSimilarIssues(deps: SimilarIndexDeps, issueId: string, signature: IssueSignature, limit = 3): Promise<SimilarIssue[]> {
  await refreshSimilarIndex(deps);
  const all = await deps.redis.hgetall(indexKey(deps.prefix));
  const scored = Object.entries(all)
    .filter(([id]) => id !== issueId)
    .map(([id, json]) => {
      const entry = JSON.parse(json) as IndexedIssue;
      return { id, entry, similarity: similarityScore(signature, { type: entry.type, frames: entry.frames, minhash: decodeMinhash(entry.minhash) }) };
    })
    .filter((item) => item.similarity.score >= minSimilarScore)
    .sort((a, b) => b.similarity.score - a.similarity.score || Number(b.id) - Number(a.id))
    .slice(0, limit * 2);
  const results: SimilarIssue[] = [];
  for (const { id, entry, similarity } of scored) {
    if (results.length >= limit) break;
    // The index learns of reopenings only when it next lists; the few shown are checked now.
    const current = await deps.glitchtip.getIssue(id).catch(() => undefined);
    if (!current || current.status === 'unresolved') {
      if (current) await deps.redis.hdel(indexKey(deps.prefix), id);
      continue;
    }
    entry.status = current.status;
    const comments = await deps.glitchtip.listComments(id, { maxPages: 1 }).catch(() => []);
    const because = [
      ...(similarity.type ? ['same exception type'] : []),
      ...(similarity.frames > 0 ? [`${percent(similarity.frames)} of in-app frames shared`] : []),
      ...(similarity.message > 0 ? [`message ${percent(similarity.message)} alike`] : []),
    ];
    results.push({
      issueId: id,
      title: entry.title,
      status: entry.status,
      score: similarity.score,
      because,
      url: entry.url,
      comments: comments
        .map((comment) => comment.data.text)
        .filter((text) => !isInvestigationComment(text))
        .slice(0, 2)
        .map((text) => (text.length > 400 ? `${text.slice(0, 400)}…` : text)),
    });
  }
  return results;
}
