/**
 * Investigation speed, cache size and ranking accuracy (figures only; nothing here passes or fails a build).
 *
 * 1. A generated repository of 20,000 files and 5,000 commits (git fast-import, cached under the temp dir):
 *    p50/p95 of uncached and cached investigations of a 15-frame stack, Redis bytes per cached investigation.
 *    Targets: uncached p95 < 1 s, cached p95 < 20 ms, < 5 KB per cached investigation.
 * 2. Ranking accuracy on synthetic scenarios (bench/fixtures/investigation-cases.json: hand-written histories, each
 *    with a known bug-introducing commit, rebuilt as a real repository; not commits recorded from real projects):
 *    top-1 and top-3 of Triage's ranking against Sentry's rule (blame the in-app frames, newest commit under a year
 *    old). The scenarios were written with the ranking in mind, so the figure shows the cases it handles, not how
 *    often it is right on real bugs.
 *
 *   npm run bench:investigate
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '@triage/embedded';
import {
  cacheKey,
  parseBlamePorcelain,
  readCached,
  runInvestigation,
  writeCached,
  type CrashFrame,
  type Investigation,
} from '@triage/investigation';
import { createTestRepo } from '@triage/testing';

const fileCount = 20_000;
const commitCount = 5_000;
const stackDepth = 15;
const runs = 40;
const base = Date.parse('2025-01-01T00:00:00Z') / 1000;
const repoDir = path.join(os.tmpdir(), 'triage-bench-investigate-v1');

const fileName = (index: number) => `packages/pkg${Math.floor(index / 500)}/src/module${Math.floor((index % 500) / 50)}/file${index}.ts`;
const fileBody = (index: number, changed: Map<number, number> | undefined) =>
  Array.from({ length: 40 }, (_, line) => `export const value${line + 1} = ${changed?.get(line + 1) ?? 0}; // file ${index}`).join('\n') + '\n';

/** Deterministic pseudo-random numbers, so every machine builds the same history. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

interface Generated {
  root: string;
  stackFiles: number[];
  culpritIndex: number;
  firstSeen: number;
}

async function generateRepository(): Promise<Generated> {
  const meta = path.join(repoDir, 'bench-meta.json');
  // What the fetch-repos job does after each fetch: changed-path Bloom filters for blame and log.
  const writeCommitGraph = () => execa('git', ['commit-graph', 'write', '--reachable', '--changed-paths'], { cwd: repoDir });
  if (fs.existsSync(meta)) {
    await writeCommitGraph();
    return JSON.parse(fs.readFileSync(meta, 'utf8')) as Generated;
  }
  fs.rmSync(repoDir, { recursive: true, force: true });
  fs.mkdirSync(repoDir, { recursive: true });
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: repoDir });
  const random = rng(42);
  const stackFiles = Array.from({ length: stackDepth }, (_, index) => index * 997 + 13);
  const culpritIndex = commitCount - 100;
  const changes = new Map<number, Map<number, number>>();
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commitHeader = (number: number, message: string) =>
    `commit refs/heads/main\nmark :${number + 1}\nauthor Dev${number % 17} <dev${number % 17}@example.com> ${base + number * 3600} +0000\ncommitter Dev${number % 17} <dev${number % 17}@example.com> ${base + number * 3600} +0000\n${data(message)}${number > 0 ? `from :${number}\n` : ''}`;
  chunks.push(commitHeader(0, 'initial import'));
  for (let index = 0; index < fileCount; index += 1) chunks.push(`M 100644 inline ${fileName(index)}\n${data(fileBody(index, undefined))}`);
  for (let number = 1; number < commitCount; number += 1) {
    const touched = number === culpritIndex ? [stackFiles[0]!] : Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * fileCount));
    chunks.push(commitHeader(number, number === culpritIndex ? 'pool: throw when the pool is closed' : `change ${number}`));
    for (const index of touched) {
      const lines = changes.get(index) ?? new Map<number, number>();
      // The culprit changes the crashing line; noise stays off it (it may touch the same files).
      const line = number === culpritIndex ? 20 : 21 + Math.floor(random() * 20);
      lines.set(line, number);
      changes.set(index, lines);
      chunks.push(`M 100644 inline ${fileName(index)}\n${data(fileBody(index, lines))}`);
    }
  }
  await execa('git', ['fast-import', '--quiet'], { cwd: repoDir, input: chunks.join('') });
  await execa('git', ['reset', '-q', '--hard', 'main'], { cwd: repoDir });
  await writeCommitGraph();
  const generated: Generated = { root: fs.realpathSync(repoDir), stackFiles, culpritIndex, firstSeen: base + (culpritIndex + 30) * 3600 };
  fs.writeFileSync(meta, JSON.stringify(generated));
  return generated;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function speedAndSize(): Promise<void> {
  const started = Date.now();
  const generated = await generateRepository();
  const [{ stdout: files }, { stdout: commits }] = await Promise.all([
    execa('git', ['ls-files'], { cwd: generated.root }).then((result) => ({ stdout: result.stdout.split('\n').length })),
    execa('git', ['rev-list', '--count', 'HEAD'], { cwd: generated.root }).then((result) => ({ stdout: Number(result.stdout) })),
  ]);
  console.log(`repository: ${files} files, ${commits} commits (${((Date.now() - started) / 1000).toFixed(1)} s to generate or load; cached at ${repoDir})`);
  const frames: CrashFrame[] = generated.stackFiles.map((index, depth) => ({
    path: `/app/dist/${fileName(index).replace(/^packages\/pkg\d+\/src\//, '').replace(/\.ts$/, '.js')}`,
    absPath: null,
    function: `fn${depth}`,
    module: null,
    lineNo: depth === 0 ? 20 : 10 + depth,
    colNo: 5,
    inApp: true,
    contextLine: null,
  }));
  const input = {
    issueId: '1',
    title: 'TypeError: pool is closed',
    project: null,
    release: null,
    firstSeen: new Date(generated.firstSeen * 1000),
    crash: { exceptionType: 'TypeError', message: 'pool is closed', frames, source: 'event' as const },
    repo: { path: generated.root, webUrl: 'https://git.example.com/acme/app', stripPrefixes: [] },
  };
  const uncached: number[] = [];
  let last: Investigation | undefined;
  for (let run = 0; run < runs + 1; run += 1) {
    const t0 = performance.now();
    last = await runInvestigation(input);
    const elapsed = performance.now() - t0;
    if (run === 0) console.log(`first (cold) investigation: ${fmt(elapsed)}  steps ${JSON.stringify(last.timings)}`);
    else uncached.push(elapsed);
  }
  const mapped = last!.mapping.filter((frame) => frame.file !== null).length;
  const culpritSubject = last!.suspects[0]?.subject;
  console.log(`frames mapped: ${mapped}/${stackDepth}; top suspect: ${JSON.stringify(culpritSubject)} (expected "pool: throw when the pool is closed")`);

  const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-redis-'));
  const redisService = await startPrivateRedis({ dir: redisDir, persistent: false });
  const redis = new Redis(redisService.url);
  try {
    const key = cacheKey('{bench}', '1', 'e'.repeat(32));
    const storedBytes = await writeCached(redis, key, last!);
    const memory = Number(await redis.call('MEMORY', 'USAGE', key));
    const cached: number[] = [];
    for (let run = 0; run < 200; run += 1) {
      const t0 = performance.now();
      const hit = await readCached(redis, key);
      cached.push(performance.now() - t0);
      if (!hit) throw new Error('cache miss in the bench');
    }
    const jsonBytes = Buffer.byteLength(JSON.stringify(last));
    console.log('\n| measure | p50 | p95 | target | ratio p95/target |');
    console.log('|---|---|---|---|---|');
    console.log(`| uncached investigation, ${stackDepth}-frame stack (${runs} runs) | ${fmt(percentile(uncached, 50))} | ${fmt(percentile(uncached, 95))} | < 1000 ms | ${(percentile(uncached, 95) / 1000).toFixed(2)} |`);
    console.log(`| cached investigation (Redis read + decode, 200 runs) | ${fmt(percentile(cached, 50))} | ${fmt(percentile(cached, 95))} | < 20 ms | ${(percentile(cached, 95) / 20).toFixed(2)} |`);
    console.log(`\nRedis bytes per cached investigation: ${storedBytes} B stored value (brotli of ${jsonBytes} B JSON), ${memory} B MEMORY USAGE; target < 5120 B (ratio ${(memory / 5120).toFixed(2)})`);
  } finally {
    redis.disconnect();
    await redisService.stop();
    fs.rmSync(redisDir, { recursive: true, force: true });
  }
}

/** One synthetic scenario: a hand-written small history with a known bug-introducing commit, rebuilt as a real repository. */
interface RankingCase {
  name: string;
  /** Commits oldest first: files (path -> line -> text) and a date. `culprit: true` marks the bug-introducing one. */
  commits: Array<{ date: string; message: string; changes: Record<string, Record<string, string>>; culprit?: boolean; ignoreInBlame?: boolean }>;
  frames: Array<{ file: string; line: number }>;
  firstSeen: string;
  /** Tag the deployed release (the commit at this index of `commits`), or none. */
  releaseAt?: number;
}

async function rankingAccuracy(): Promise<void> {
  const cases = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/investigation-cases.json'), 'utf8')) as RankingCase[];
  let triageTop1 = 0;
  let triageTop3 = 0;
  let sentryTop1 = 0;
  const rows: string[] = [];
  for (const testCase of cases) {
    const repo = await createTestRepo('bench-case');
    try {
      const contents = new Map<string, string[]>();
      let culprit = '';
      const ignored: string[] = [];
      let releaseSha: string | undefined;
      for (const [index, commit] of testCase.commits.entries()) {
        const files: Record<string, string> = {};
        for (const [file, lines] of Object.entries(commit.changes)) {
          const current = contents.get(file) ?? Array.from({ length: 60 }, (_, line) => `// ${file} ${line + 1}`);
          for (const [line, text] of Object.entries(lines)) {
            if (text === '<insert>') current.splice(Number(line) - 1, 0, `// inserted ${index}`);
            else current[Number(line) - 1] = text;
          }
          contents.set(file, current);
          files[file] = current.join('\n') + '\n';
        }
        const sha = await repo.commit(files, commit.message, commit.date, `Dev${index}`);
        if (commit.culprit) culprit = sha;
        if (commit.ignoreInBlame) ignored.push(sha);
        if (testCase.releaseAt === index) releaseSha = sha;
      }
      if (ignored.length > 0) await repo.commit({ '.git-blame-ignore-revs': ignored.join('\n') + '\n' }, 'ignore formatting', testCase.commits[testCase.commits.length - 1]!.date);
      const frames: CrashFrame[] = testCase.frames.map((frame) => ({ path: frame.file, absPath: null, function: null, module: null, lineNo: frame.line, colNo: null, inApp: true, contextLine: null }));
      const firstSeen = new Date(testCase.firstSeen);
      const result = await runInvestigation({
        issueId: '1', title: testCase.name, project: null, release: releaseSha ?? null, firstSeen,
        crash: { exceptionType: null, message: null, frames, source: 'event' },
        repo: { path: repo.root, webUrl: undefined, stripPrefixes: [] },
      });
      const ranked = result.suspects.map((suspect) => suspect.sha);
      const sentry = await sentryRule(repo.root, testCase.frames, firstSeen);
      triageTop1 += Number(ranked[0] === culprit);
      triageTop3 += Number(ranked.slice(0, 3).includes(culprit));
      sentryTop1 += Number(sentry === culprit);
      rows.push(`| ${testCase.name} | ${ranked[0] === culprit ? '✓' : ranked.slice(0, 3).includes(culprit) ? 'top 3' : '✗'} | ${sentry === culprit ? '✓' : '✗'} |`);
    } finally {
      repo.remove();
    }
  }
  console.log(`\nRanking accuracy on ${cases.length} synthetic scenarios (hand-written histories, not recorded real bugs; bench/fixtures/investigation-cases.json):`);
  console.log('| case | Triage | Sentry rule |');
  console.log('|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`Triage top-1 ${triageTop1}/${cases.length} (${Math.round((100 * triageTop1) / cases.length)}%), top-3 ${triageTop3}/${cases.length} (${Math.round((100 * triageTop3) / cases.length)}%); Sentry rule top-1 ${sentryTop1}/${cases.length} (${Math.round((100 * sentryTop1) / cases.length)}%)`);
}

/** Sentry's suspect commit: blame each in-app frame's line at HEAD (blind to releases and ignore-revs), newest commit under a year old. */
async function sentryRule(root: string, frames: Array<{ file: string; line: number }>, now: Date): Promise<string | undefined> {
  let best: { sha: string; time: number } | undefined;
  for (const frame of frames) {
    const out = await execa('git', ['blame', '--porcelain', '-L', `${frame.line},${frame.line}`, 'HEAD', '--', frame.file], { cwd: root, reject: false });
    if (out.exitCode !== 0) continue;
    const { lines, commits } = parseBlamePorcelain(out.stdout);
    for (const line of lines) {
      const commit = commits.get(line.sha)!;
      if (now.getTime() / 1000 - commit.time > 365 * 86_400) continue;
      if (!best || commit.time > best.time) best = { sha: commit.sha, time: commit.time };
    }
  }
  return best?.sha;
}

await speedAndSize();
await rankingAccuracy();
