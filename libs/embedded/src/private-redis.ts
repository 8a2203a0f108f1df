import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findFreePort, waitForPort } from './free-port';
import { stopStaleProcess } from './stale-process';

export interface RunningService {
  /** May carry a password: never log it; log `address`. */
  url: string;
  /** Where it listens, without credentials. */
  address: string;
  stop(): Promise<void>;
}

export class MissingBinaryError extends Error {}

export function findOnPath(binary: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

export interface PrivateRedisOptions {
  dir: string;
  port?: number;
  /** Append-only file on: queued alerts survive a restart. Tests turn it off. */
  persistent?: boolean;
}

/**
 * The password of the private Redis: generated on first start and kept in `dir/redis.password` (0600), so that
 * another local user cannot reach the queues on the loopback port.
 */
export function ensureRedisPassword(dir: string): string {
  const file = path.join(dir, 'redis.password');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) {
      fs.chmodSync(file, 0o600);
      return existing;
    }
  } catch {
    // first start
  }
  const password = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return password;
}

/**
 * Starts Debian's redis-server on loopback with the settings BullMQ needs (noeviction) and a password. The password
 * goes in a 0600 config file rather than on the command line, where `ps` would show it to every local user.
 */
export async function startPrivateRedis({ dir, port, persistent = true }: PrivateRedisOptions): Promise<RunningService> {
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new MissingBinaryError(
      'redis-server is not installed: run `sudo apt-get install -y redis-server`, or set REDIS_URL to a Redis you already have',
    );
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const password = ensureRedisPassword(dir);
  const configFile = path.join(dir, 'redis.conf');
  fs.writeFileSync(configFile, `requirepass ${password}\n`, { mode: 0o600 });
  fs.chmodSync(configFile, 0o600);
  const pidFile = path.join(dir, 'redis.pid');
  await stopStaleProcess(pidFile, 'redis-server', 'SIGTERM');
  const chosenPort = port ?? (await findFreePort());
  const args = [
    configFile,
    '--port', String(chosenPort),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--appendonly', persistent ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--logfile', path.join(dir, 'redis.log'),
    '--daemonize', 'no',
    '--pidfile', pidFile,
  ];
  // Own process group: a Ctrl-C in the terminal must not kill Redis before the workers have finished their jobs.
  const child = spawn(binary, args, { stdio: 'ignore', detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Detached children outlive a crashed parent; make sure they do not.
  const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await Promise.race([
      waitForPort(chosenPort, 10_000),
      exited.then(() => {
        throw new Error(`redis-server exited at start; see ${path.join(dir, 'redis.log')}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: `redis://:${password}@127.0.0.1:${chosenPort}`,
    address: `redis://127.0.0.1:${chosenPort}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

