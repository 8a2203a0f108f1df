import { GitError, gitTopLevel } from './git';
import { compactFrames, compactText, type CrashFrames } from './frames';
import type { Investigation, InvestigationStep, SimilarIssue } from './investigation';
import { loadSnapshot, mapFrames, searchRepository, searchTerms, contextAround, readFilesAt, type MappedFrame } from './map-frames';
import type { RepoConfig } from './repos-config';
import { resolveRevision } from './revision';
import { findSuspects } from './suspects';

export const defaultInvestigationTimeoutMs = 30_000;
/** Frames that keep their code context in the stored result (the report shows the top ones). */
const framesWithContext = 3;

export interface InvestigationInput {
  issueId: string;
  title: string;
  project: string | null;
  release: string | null;
  firstSeen: Date | null;
  crash: CrashFrames;
  repo: RepoConfig | undefined;
  now?: Date;
  timeoutMs?: number;
  /** Similar closed issues; absent (CLI --stack, no API) skips the step. */
  findSimilar?: (signal: AbortSignal) => Promise<SimilarIssue[]>;
  /** Progress per step (the CLI prints it on a terminal). */
  onStep?: (step: InvestigationStep, state: 'start' | 'done' | 'failed', ms: number) => void;
}

class StepTimeout extends Error {
  constructor(readonly step: InvestigationStep) {
    super(`${step} timed out`);
  }
}

/**
 * Frames -> repository -> files -> mapping -> suspects -> similar issues, each step timed. The hard timeout aborts the
 * running git processes and ends the run with what it has, naming the step that ran out of time. A failing step is
 * a note, not a failed investigation.
 */
export async function runInvestigation(input: InvestigationInput): Promise<Investigation> {
  const started = Date.now();
  const now = input.now ?? new Date();
  const timeoutMs = input.timeoutMs ?? defaultInvestigationTimeoutMs;
  const controller = new AbortController();
  const result: Investigation = {
    version: 1,
    issueId: input.issueId,
    title: compactText(input.title, 500) ?? '',
    exceptionType: compactText(input.crash.exceptionType, 200),
    message: compactText(input.crash.message),
    framesSource: input.crash.source,
    frames: compactFrames(input.crash.frames),
    repository: input.repo ? { project: input.project, webUrl: input.repo.webUrl ?? null } : null,
    revision: null,
    mapping: [],
    suspects: [],
    similar: [],
    timings: {},
    timedOut: null,
    notes: [],
    firstSeen: input.firstSeen?.toISOString() ?? null,
    finishedAt: now.toISOString(),
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error('deadline'));
    }, Math.max(1, timeoutMs));
  });
  deadline.catch(() => undefined);

  async function step<T>(name: InvestigationStep, work: () => Promise<T>): Promise<T | undefined> {
    if (result.timedOut) return undefined;
    const stepStarted = Date.now();
    input.onStep?.(name, 'start', 0);
    try {
      const value = await Promise.race([work(), deadline.catch(() => Promise.reject(new StepTimeout(name)))]);
      result.timings[name] = Date.now() - stepStarted;
      input.onStep?.(name, 'done', result.timings[name]);
      return value;
    } catch (error) {
      result.timings[name] = Date.now() - stepStarted;
      input.onStep?.(name, 'failed', result.timings[name]);
      if (error instanceof StepTimeout || controller.signal.aborted) {
        result.timedOut = { step: name, afterMs: Date.now() - started };
        result.notes.push(`The ${name} step did not finish within the ${Math.round(timeoutMs / 1000)} s limit; this report is partial.`);
        return undefined;
      }
      result.notes.push(`The ${name} step failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  const options = { signal: controller.signal, timeoutMs };
  try {
    await step('frames', () => {
      if (input.crash.frames.length === 0) result.notes.push('The event has no stack frames.');
      return Promise.resolve();
    });
    const repo = input.repo;
    if (!repo) {
      result.notes.push(`No repository is configured for project ${input.project ?? '(unknown)'}: set REPO_PATH or REPOS_FILE.`);
    } else {
      const located = await step('repository', async () => {
        const root = await gitTopLevel(repo.path, options);
        if (!root) throw new GitError(`${repo.path} is not a git repository`, undefined, false);
        const revision = await resolveRevision(root, input.release, input.firstSeen, options);
        if (!revision) throw new GitError(`${repo.path} has no commits`, undefined, false);
        return { root, revision };
      });
      if (located) {
        result.revision = located.revision;
        const snapshot = await step('files', () => loadSnapshot(located.root, located.revision.sha, options));
        const mapped = snapshot ? await step('mapping', () => mapWithSearch(snapshot, input, located.root, options)) : undefined;
        if (mapped) {
          result.mapping = mapped;
          const suspects = await step('suspects', () => findSuspects(located.root, located.revision.sha, mapped, input.firstSeen, now, options));
          if (suspects) result.suspects = suspects.map((suspect) => ({ ...suspect, url: repo.webUrl ? `${repo.webUrl}/commit/${suspect.sha}` : undefined }));
        }
      }
    }
    if (input.findSimilar) {
      const similar = await step('similar', () => input.findSimilar!(controller.signal));
      if (similar) result.similar = similar;
    }
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort();
  }
  let kept = 0;
  result.mapping = result.mapping.map((frame) => (frame.file && kept++ < framesWithContext ? frame : { ...frame, context: [] }));
  result.timings.total = Date.now() - started;
  result.finishedAt = new Date(now.getTime() + result.timings.total).toISOString();
  return result;
}

async function mapWithSearch(snapshot: Awaited<ReturnType<typeof loadSnapshot>>, input: InvestigationInput, root: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<MappedFrame[]> {
  const mapped = await mapFrames(snapshot, input.crash.frames, input.repo?.stripPrefixes ?? [], options);
  if (mapped.some((frame) => frame.file !== null)) return mapped;
  const first = input.crash.frames.find((frame) => frame.inApp) ?? input.crash.frames[0];
  const terms = searchTerms(first?.function ?? null, input.crash.message);
  if (terms.length === 0) return mapped;
  const hits = await searchRepository(root, snapshot.revision, terms, options);
  const contents = await readFilesAt(snapshot, hits.map((hit) => hit.file), options);
  const found: MappedFrame[] = hits.map((hit) => ({
    frameIndex: -1,
    function: null,
    reportedPath: null,
    file: hit.file,
    line: hit.line,
    via: 'search',
    note: `found by searching for ${JSON.stringify(hit.term)}`,
    context: contextAround(contents.get(hit.file), hit.line),
  }));
  return [...mapped, ...found];
}
