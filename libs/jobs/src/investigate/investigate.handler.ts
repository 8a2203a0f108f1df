import { investigate, investigationSummary, defaultInvestigateTimeoutMs } from '@triage/contracts';
import {
  cacheKey,
  findSimilarIssues,
  findingsHash,
  hasFindings,
  finishRun,
  loadRepoMap,
  readCached,
  releaseClaim,
  renderReport,
  renderSummary,
  repoForProject,
  runInvestigation,
  signatureOf,
  startRun,
  writeCached,
  type Investigation,
} from '@triage/investigation';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { loadIssueFacts, type IssueFacts } from './issue-facts';
import { publishReport } from './publish-report';

/** Investigations run on their own worker role: a slow repository must never hold up an alert. */
const investigateConcurrency = 2;

function runningKey(prefix: string, issueId: string, eventKey: string): string {
  return `${prefix}:investigation:running:${issueId}:${eventKey}`;
}

async function investigateFacts(deps: WorkerDeps, facts: IssueFacts, timeoutMs: number): Promise<Investigation> {
  const { repos } = loadRepoMap(deps.config);
  const glitchtip = deps.glitchtip;
  const canReadApi = glitchtip !== undefined && deps.config.glitchtip.integrationEnabled;
  return runInvestigation({
    issueId: facts.issueId,
    title: facts.title,
    project: facts.project,
    release: facts.release,
    firstSeen: facts.firstSeen,
    crash: facts.crash,
    repo: repoForProject(repos, facts.project),
    timeoutMs,
    findSimilar: canReadApi
      ? () => findSimilarIssues({ redis: deps.redis, prefix: deps.config.queuePrefix, glitchtip }, facts.issueId, signatureOf(facts.crash.exceptionType, facts.crash.message, facts.crash.frames))
      : undefined,
  });
}

export const investigateHandler = defineHandler<WorkerDeps, typeof investigate>({
  contract: investigate,
  concurrency: investigateConcurrency,
  async handle(payload, context) {
    const { deps, log } = context;
    if (!deps.config.components.investigationHelper) {
      log.info('DISABLE_INVESTIGATION_HELPER: investigation skipped');
      return { skipped: 'DISABLE_INVESTIGATION_HELPER' };
    }
    const facts = await loadIssueFacts(deps, payload.issueId, log);
    if ('gone' in facts) return { skipped: 'issue deleted in GlitchTip' };
    if ('unavailable' in facts) {
      log.info({ reason: facts.unavailable }, 'nothing to investigate from');
      return { skipped: facts.unavailable };
    }
    const found = facts.found;
    const eventKey = found.eventId ?? 'no-event';
    const timeoutMs = payload.timeoutMs ?? defaultInvestigateTimeoutMs;
    // One run per issue and event at a time; the lock outlives a run only if the worker died holding it.
    const lock = runningKey(deps.config.queuePrefix, found.issueId, eventKey);
    const token = `${context.job.id ?? 'job'}:${Date.now()}`;
    if ((await deps.redis.set(lock, token, 'PX', timeoutMs + 60_000, 'NX')) !== 'OK') {
      log.info({ eventId: found.eventId }, 'an investigation of this issue and event is already running');
      return { skipped: 'already running' };
    }
    const runId = await startRun(deps.db, { issueId: found.issueId, eventId: found.eventId, requestedBy: payload.requestedBy });
    let outcome: { summary: string; hash: string; answer: Record<string, unknown>; findings: boolean };
    try {
      outcome = await runAndPublish(deps, found, runId, payload, eventKey, timeoutMs, context.log);
    } finally {
      // Only our own lock (compare-and-delete): a run that outlived its lock must not free the next run's.
      await releaseClaim(deps.redis, lock, token);
    }
    // The Telegram side is its own job, enqueued once the run is recorded: a paced send delays only that job and
    // never runs, records or publishes the investigation again. The emergency switch stops every external write.
    if (deps.config.glitchtip.integrationEnabled && outcome.findings) {
      await deps.producer.enqueue(investigationSummary, { investigationId: runId, issueId: found.issueId, summary: outcome.summary, findingsHash: outcome.hash });
    }
    return outcome.answer;
  },
});

async function runAndPublish(
  deps: WorkerDeps,
  found: IssueFacts,
  runId: number,
  payload: { force: boolean; requestedBy: string },
  eventKey: string,
  timeoutMs: number,
  log: HandlerContext<WorkerDeps>['log'],
): Promise<{ summary: string; hash: string; answer: Record<string, unknown>; findings: boolean }> {
  const started = Date.now();
  try {
    const key = cacheKey(deps.config.queuePrefix, found.issueId, eventKey);
    const cached = payload.force || !found.eventId ? undefined : await readCached(deps.redis, key);
    const result = cached ?? (await investigateFacts(deps, found, timeoutMs));
    if (!cached && !result.timedOut && found.eventId) await writeCached(deps.redis, key, result);
    const report = renderReport(result);
    const hash = findingsHash(result);
    const summary = renderSummary(result);
    // Nothing found (no repository configured, no frame maps, nothing similar): no comment and no Telegram noise.
    const published = hasFindings(result)
      ? await publishReport(deps, { issueId: found.issueId, text: report, findingsHash: hash, requestedBy: payload.requestedBy }, log)
      : ({ result: 'skipped', commentId: null, reason: 'nothing found' } as const);
    await finishRun(deps.db, runId, {
      status: result.timedOut ? 'partial' : 'done',
      summary,
      result: result as unknown as Record<string, unknown>,
      durationMs: Date.now() - started,
      timings: result.timings,
      timedOutStep: result.timedOut?.step ?? null,
      fromCache: cached !== undefined,
      reportHash: hash,
      commentId: published.commentId,
    });
    log.info({ runId, comment: published.result, fromCache: cached !== undefined, timings: result.timings, timedOut: result.timedOut?.step }, 'investigation finished');
    const answer = { runId, comment: published.result, fromCache: cached !== undefined, suspects: result.suspects.map((suspect) => suspect.sha), timedOut: result.timedOut?.step ?? null };
    return { summary, hash, answer, findings: hasFindings(result) };
  } catch (error) {
    await finishRun(deps.db, runId, {
      status: 'failed',
      summary: error instanceof Error ? error.message.slice(0, 500) : String(error),
      result: null,
      durationMs: Date.now() - started,
      timings: {},
      timedOutStep: null,
      fromCache: false,
      reportHash: null,
      commentId: null,
    });
    throw error;
  }
}
