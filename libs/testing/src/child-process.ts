import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface StartedProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs a TypeScript entry point of the repo as its own Node process (through tsx), as production would. */
export function startTsProcess(entry: string, args: string[], env: NodeJS.ProcessEnv): StartedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(repoRoot, entry), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'debug', ...env, TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const matches = () => (typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output));
        if (matches()) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)} in output:\n${output.slice(-3000)}`));
        }, timeoutMs);
        const check = () => {
          if (matches()) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        void exited.then(() => {
          if (!matches() && listeners.has(check)) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`process exited before ${String(pattern)}; output:\n${output.slice(-3000)}`));
          }
        });
      }),
  };
}

export interface WorkerProcessOptions {
  queues: string[];
  redisUrl: string;
  databaseUrl: string;
  prefix: string;
  /** When given, the worker talks to this Telegram fake as this bot, with this default chat. */
  telegram?: { url: string; botToken: string; chatId: number };
  /** Any further variables of the role (allowlist, GlitchTip, report settings...). */
  env?: NodeJS.ProcessEnv;
}

/** The real worker process consuming `queues` on the test's Redis, database and prefix; resolves once it started. */
export async function startWorkerProcess({ queues, redisUrl, databaseUrl, prefix, telegram, env = {} }: WorkerProcessOptions): Promise<StartedProcess> {
  const worker = startTsProcess('apps/worker/src/main.ts', ['--queues', queues.join(',')], {
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    ...(telegram ? { TELEGRAM_BOT_TOKEN: telegram.botToken, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_CHAT_ID: String(telegram.chatId) } : {}),
    ...env,
  });
  await worker.waitForOutput('worker started');
  return worker;
}
