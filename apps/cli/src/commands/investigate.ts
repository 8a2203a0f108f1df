import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import { investigate } from '@triage/contracts';
import { GlitchTipClient, GlitchTipHttpError, type GlitchTipEvent } from '@triage/glitchtip';
import {
  cacheKey,
  factsFromApi,
  findSimilarIssues,
  gitTopLevel,
  loadRepoMap,
  maxStackTextChars,
  parseStackText,
  readCached,
  renderReport,
  repoForProject,
  runInvestigation,
  signatureOf,
  writeCached,
  type Investigation,
  type InvestigationStep,
  type RepoConfig,
} from '@triage/investigation';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection } from '@triage/queue';

export interface InvestigateOptions {
  stack?: string;
  repo?: string;
  dryRun?: boolean;
  json?: boolean;
  /** commander's --no-cache */
  cache?: boolean;
}

/** A failure the user can act on: printed as one line, exit code 1. */
export class InvestigateCommandError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress per step only on a terminal. */
  progress: boolean;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progress: process.stderr.isTTY === true,
};

function onStep(io: Io) {
  return (step: InvestigationStep, state: 'start' | 'done' | 'failed', ms: number) => {
    if (!io.progress) return;
    if (state === 'start') io.stderr(`… ${step}\n`);
    else io.stderr(`${state === 'done' ? '✓' : '✗'} ${step} (${ms} ms)\n`);
  };
}

async function requireGitRepository(repo: RepoConfig | undefined, what: string): Promise<RepoConfig> {
  if (!repo) throw new InvestigateCommandError(`no repository for ${what}: pass --repo <path>, or set REPO_PATH or REPOS_FILE`);
  if (!fs.existsSync(repo.path)) throw new InvestigateCommandError(`${repo.path} does not exist`);
  if (!(await gitTopLevel(path.resolve(repo.path), { timeoutMs: 5_000 }))) throw new InvestigateCommandError(`${repo.path} is not a git repository`);
  return repo;
}

function output(investigation: Investigation, options: InvestigateOptions, io: Io): void {
  if (options.json) {
    const json = {
      issueId: investigation.issueId,
      title: investigation.title,
      exceptionType: investigation.exceptionType,
      message: investigation.message,
      frames: investigation.frames,
      mapping: investigation.mapping,
      revision: investigation.revision,
      suspects: investigation.suspects,
      similar: investigation.similar,
      timings: investigation.timings,
      timedOut: investigation.timedOut,
      notes: investigation.notes,
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(`${renderReport(investigation)}\n`);
  }
}

async function fromStackFile(config: Config, options: InvestigateOptions & { stack: string }, io: Io): Promise<number> {
  let text: string;
  try {
    const stat = fs.statSync(options.stack);
    if (!stat.isFile()) throw new InvestigateCommandError(`${options.stack} is not a file`);
    text = fs.readFileSync(options.stack, 'utf8').slice(0, maxStackTextChars);
  } catch (error) {
    if (error instanceof InvestigateCommandError) throw error;
    throw new InvestigateCommandError(`cannot read ${options.stack}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const crash = parseStackText(text);
  if (crash.frames.length === 0) throw new InvestigateCommandError(`${options.stack} holds no Node, TypeScript or Python stack frames`);
  const repo = options.repo ? { path: options.repo, webUrl: undefined, stripPrefixes: [] } : repoForProject(loadRepoMap(config).repos, null) ?? [...loadRepoMap(config).repos.values()][0];
  const checked = await requireGitRepository(repo, 'the stack trace');
  const result = await runInvestigation({
    issueId: '0',
    title: [crash.exceptionType, crash.message].filter(Boolean).join(': ') || path.basename(options.stack),
    project: null,
    release: null,
    firstSeen: null,
    crash,
    repo: checked,
    onStep: onStep(io),
  });
  output(result, options, io);
  return 0;
}

function glitchtipClient(config: Config): GlitchTipClient {
  const { baseUrl, apiToken, org, integrationEnabled } = config.glitchtip;
  if (!baseUrl || !apiToken) throw new InvestigateCommandError('GlitchTip API not configured: set GLITCHTIP_BASE_URL and GLITCHTIP_API_TOKEN (or use --stack <file>)');
  if (!integrationEnabled) throw new InvestigateCommandError('GLITCHTIP_INTEGRATION_ENABLED=false: Triage makes no GlitchTip calls (use --stack <file>)');
  return new GlitchTipClient({ baseUrl, token: apiToken, org, logger: createLogger({ name: 'triage', level: 'silent' }), retries: 1, timeoutMs: 10_000, breaker: { failureThreshold: 100 } });
}

async function fromIssue(config: Config, issueId: string, options: InvestigateOptions, io: Io): Promise<number> {
  if (!/^\d{1,20}$/.test(issueId)) throw new InvestigateCommandError(`not a GlitchTip issue id: ${JSON.stringify(issueId)} (ids are numeric)`);
  const glitchtip = glitchtipClient(config);
  let event: GlitchTipEvent | null;
  let facts: ReturnType<typeof factsFromApi>;
  try {
    const issue = await glitchtip.getIssue(issueId);
    event = await glitchtip.getLatestEvent(issueId).catch(() => null);
    facts = factsFromApi(issue, event);
  } catch (error) {
    if (error instanceof GlitchTipHttpError && error.status === 404) throw new InvestigateCommandError(`unknown issue ${issueId}: GlitchTip has no such issue`);
    if (error instanceof GlitchTipHttpError) throw new InvestigateCommandError(`GlitchTip answered ${error.status} for issue ${issueId}`);
    throw new InvestigateCommandError(`GlitchTip unreachable at ${config.glitchtip.baseUrl}: ${(error as Error).message.split('\n')[0]}`);
  }
  const repo = await requireGitRepository(repoForProject(loadRepoMap(config).repos, facts.project), `project ${facts.project ?? '(unknown)'}`);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3_000 }) : undefined;
  try {
    const reachable = redis ? await redis.connect().then(() => true, () => false) : false;
    const key = facts.eventId ? cacheKey(config.queuePrefix, facts.issueId, facts.eventId) : undefined;
    const cached = reachable && key && options.cache !== false ? await readCached(redis!, key) : undefined;
    if (cached && io.progress) io.stderr('✓ from the 24 h cache (--no-cache to run again)\n');
    const result =
      cached ??
      (await runInvestigation({
        ...facts,
        repo,
        onStep: onStep(io),
        findSimilar: reachable ? () => findSimilarIssues({ redis: redis!, prefix: config.queuePrefix, glitchtip }, facts.issueId, signatureOf(facts.crash.exceptionType, facts.crash.message, facts.crash.frames)) : undefined,
      }));
    if (!cached && reachable && key && !result.timedOut) await writeCached(redis!, key, result);
    output(result, options, io);
    if (options.dryRun || config.dryRun) {
      io.stderr('dry run: nothing posted to GlitchTip or Telegram\n');
    } else if (!reachable) {
      io.stderr('not posted: Redis is not reachable (REDIS_URL); the worker posts the comment (use --dry-run to only print)\n');
    } else {
      const producer = new Producer({ connection: createProducerConnection(config.redisUrl!), prefix: config.queuePrefix, timeoutMs: 5_000 });
      await producer.enqueue(investigate, { issueId: facts.issueId, requestedBy: 'cli', force: options.cache === false });
      await producer.close();
      io.stderr(`queued: the investigate worker comments on issue ${facts.issueId} (one comment, edited when findings change)\n`);
    }
    return 0;
  } finally {
    redis?.disconnect();
  }
}

/** `triage investigate <issueId>` or `triage investigate --stack <file> [--repo <path>]`; returns the exit code. */
export async function investigateCommand(config: Config, issueId: string | undefined, options: InvestigateOptions, io: Io = defaultIo): Promise<number> {
  try {
    if (options.stack) return await fromStackFile(config, { ...options, stack: options.stack }, io);
    if (!issueId) throw new InvestigateCommandError('give an issue id, or --stack <file>');
    return await fromIssue(config, issueId, options, io);
  } catch (error) {
    if (!(error instanceof InvestigateCommandError)) throw error;
    io.stderr(`triage investigate: ${error.message}\n`);
    return 1;
  }
}
