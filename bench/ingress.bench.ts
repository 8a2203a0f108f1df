/**
 * Ingress throughput against a plain Express baseline, on the same machine and in the same run.
 *
 *   node --import tsx bench/ingress.bench.ts        (npm run bench:ingress)
 *
 * Starts a private Redis, then each server as a child process (bench/ingress-bench-server.ts), and drives it with
 * autocannon: a short warm-up, then the measured run. Every request carries a different issue id, so the ingress
 * really enqueues each one instead of answering from deduplication. The two alternate for BENCH_ROUNDS rounds
 * (default 3) and the medians are reported, since load generator, servers and Redis share the machine's cores.
 * Targets: ingress/plain >= 0.7, ingress p99 < 30 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { startPrivateRedis } from '@triage/embedded';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');
const exampleFile = path.resolve(repoRoot, 'tests/fixtures/contract/glitchtip/webhook_issue_alert_generic_single.json');

const connections = 50;
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmupSeconds = 2;
const targets = { minRatio: 0.7, maxP99Ms: 30 };

interface Measured {
  name: string;
  result: AutocannonResult;
  /** The server process's CPU time per answered request (user + system), µs; undefined where /proc is missing. */
  cpuMicrosPerRequest: number | undefined;
}

/** User + system CPU of a process in clock ticks (Linux /proc; 100 per second), or undefined elsewhere. */
function cpuTicks(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** The example body with its issue id (in title_link and the section link) replaced by a fresh one per request. */
function bodyFactory(): () => string {
  const template = fs.readFileSync(exampleFile, 'utf8');
  const issueLink = /\/issues\/2210\b/g;
  if (!issueLink.test(template)) throw new Error(`${exampleFile} no longer links issue 2210; update the benchmark`);
  let next = 1_000_000;
  return () => template.replace(issueLink, `/issues/${next++}`);
}

async function startServer(role: 'ingress' | 'plain', env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(benchDir, 'ingress-bench-server.ts'), [role], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    // Logs go to /dev/null: written as in production, but not read by this process.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${role} server exited with ${code} before listening`)));
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function drive(port: number, requestPath: string, nextBody: () => string, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: requestPath,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: nextBody() }),
      },
    ],
  });
}

async function measure(name: string, role: 'ingress' | 'plain', requestPath: string, env: NodeJS.ProcessEnv): Promise<Measured> {
  const { child, port } = await startServer(role, env);
  try {
    const nextBody = bodyFactory();
    await drive(port, requestPath, nextBody, warmupSeconds);
    const ticksBefore = cpuTicks(child.pid);
    const result = await drive(port, requestPath, nextBody, durationSeconds);
    const ticksAfter = cpuTicks(child.pid);
    // CPU per request barely moves with what else the machine runs, unlike req/s: the steadier figure on a shared box.
    const cpuMicrosPerRequest =
      ticksBefore === undefined || ticksAfter === undefined || result.requests.total === 0 ? undefined : ((ticksAfter - ticksBefore) * 10_000) / result.requests.total;
    if (result.non2xx > 0 || result.errors > 0) {
      const statuses = Object.entries(result.statusCodeStats).map(([status, { count }]) => `${status}: ${count}`).join(', ');
      throw new Error(`${name}: ${result.non2xx} non-2xx answers and ${result.errors} errors (${statuses})`);
    }
    return { name, result, cpuMicrosPerRequest };
  } finally {
    await stopServer(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Round {
  plain: Measured;
  ingress: Measured;
}

function report(results: Round[]): void {
  const row = (name: string, requests: number, p50: number, p99: number, cpu?: number) =>
    `${name.padEnd(16)} ${requests.toFixed(0).padStart(8)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${(cpu === undefined ? '-' : cpu.toFixed(0)).padStart(12)}`;
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
  console.log(`\nPOST /api/glitchtip-webhook, ${connections} connections, ${durationSeconds} s each (after ${warmupSeconds} s warm-up), ${results.length} rounds\n`);
  console.log(`${'server'.padEnd(16)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs/req'.padStart(12)}`);
  results.forEach(({ plain, ingress }, index) => {
    for (const { name, result, cpuMicrosPerRequest } of [plain, ingress]) {
      console.log(row(`${name} #${index + 1}`, result.requests.average, result.latency.p50, result.latency.p99, cpuMicrosPerRequest));
    }
  });
  const pick = (side: keyof Round, value: (result: AutocannonResult) => number) => median(results.map((round) => value(round[side].result)));
  const cpu = (side: keyof Round) => {
    const values = results.map((round) => round[side].cpuMicrosPerRequest).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : median(values);
  };
  for (const side of ['plain', 'ingress'] as const) {
    console.log(row(`${side} median`, pick(side, (r) => r.requests.average), pick(side, (r) => r.latency.p50), pick(side, (r) => r.latency.p99), cpu(side)));
  }
  // Paired per round, so a slow moment of the machine weighs on both sides of the same ratio.
  const ratio = median(results.map(({ plain, ingress }) => ingress.result.requests.average / plain.result.requests.average));
  const p99 = pick('ingress', (r) => r.latency.p99);
  console.log(`\nratio ingress/plain (median of rounds)  ${ratio.toFixed(2)}   target >= ${targets.minRatio}   ${verdict(ratio >= targets.minRatio)}`);
  console.log(`ingress p99 (median of rounds)          ${p99.toFixed(1)} ms   target < ${targets.maxP99Ms} ms   ${verdict(p99 < targets.maxP99Ms)}`);
  const [plainCpu, ingressCpu] = [cpu('plain'), cpu('ingress')];
  if (plainCpu !== undefined && ingressCpu !== undefined) {
    // The throughput a CPU-bound server would reach relative to plain: steadier than req/s when the machine is shared.
    console.log(`CPU ratio plain/ingress per request     ${(plainCpu / ingressCpu).toFixed(2)}   (${plainCpu.toFixed(0)} / ${ingressCpu.toFixed(0)} µs)`);
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-ingress-'));
// Append-only file on, as in production.
const redis = await startPrivateRedis({ dir: path.join(dataDir, 'redis'), persistent: true });
try {
  const token = crypto.randomBytes(24).toString('base64url');
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    process.stderr.write(`round ${round}/${rounds}...\n`);
    const plain = await measure('plain', 'plain', '/api/glitchtip-webhook', {});
    const ingress = await measure('ingress', 'ingress', `/api/glitchtip-webhook?token=${token}`, {
      REDIS_URL: redis.url,
      WEBHOOK_TOKEN: token,
      QUEUE_PREFIX: '{bench}',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      BOARD_USER: '',
      BOARD_PASSWORD: '',
    });
    results.push({ plain, ingress });
  }
  report(results);
} finally {
  await redis.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
