import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findFreePort, waitForPort } from './free-port';
import { stopStaleProcess } from './stale-process';

export interface RunningService {
  url: string;
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

/** Starts Debian's redis-server on loopback with the settings BullMQ needs (noeviction). */
export async function startPrivateRedis({ dir, port, persistent = true }: PrivateRedisOptions): Promise<RunningService> {
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new MissingBinaryError(
      'redis-server is not installed: run `sudo apt-get install -y redis-server`, or set REDIS_URL to a Redis you already have',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  await stopStaleProcess(pidFile, 'redis-server', 'SIGTERM');
  const chosenPort = port ?? (await findFreePort());
  const args = [
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
    url: `redis://127.0.0.1:${chosenPort}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

