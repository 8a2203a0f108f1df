import fs from 'node:fs/promises';
import path from 'node:path';
import { execa, ExecaError } from 'execa';

/** Git (and ripgrep) at the edge: argument arrays, never a shell; every call bounded in time. */
export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  input?: string;
  /** Exit codes that are answers, not failures (git grep / rg answer 1 for "no match"). */
  okExitCodes?: number[];
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | undefined,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

const defaultTimeoutMs = 10_000;
// The repository's own config must not run programs: no pager, no fsmonitor hook, no external diff or textconv.
const safeGitConfig = ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '-c', 'diff.external=', '-c', 'blame.ignoreRevsFile=', '--no-pager'];

export async function runTool(command: string, args: string[], cwd: string, options: RunOptions = {}): Promise<{ stdout: string; exitCode: number }> {
  const result = await runToolRaw(command, args, cwd, options);
  return { stdout: result.stdout.toString('utf8'), exitCode: result.exitCode };
}

async function runToolRaw(command: string, args: string[], cwd: string, options: RunOptions): Promise<{ stdout: Buffer; exitCode: number }> {
  try {
    const result = await execa(command, args, {
      encoding: 'buffer',
      cwd,
      timeout: options.timeoutMs ?? defaultTimeoutMs,
      cancelSignal: options.signal,
      input: options.input,
      stripFinalNewline: false,
      maxBuffer: 64 * 1024 * 1024,
      reject: false,
      env: { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      extendEnv: true,
    });
    if (result.timedOut) throw new GitError(`${command} ${args[0] ?? ''} timed out`, undefined, true);
    if (result.isCanceled) throw new GitError(`${command} ${args[0] ?? ''} was cancelled`, undefined, true);
    const exitCode = result.exitCode ?? -1;
    if (exitCode !== 0 && !(options.okExitCodes ?? []).includes(exitCode)) {
      const stderr = Buffer.from(result.stderr).toString('utf8').trim().split('\n')[0] ?? '';
      throw new GitError(`${command} ${args.filter((arg) => !arg.startsWith('-c') && !arg.includes('=')).slice(0, 2).join(' ')} failed (${exitCode}): ${stderr}`, exitCode, false);
    }
    return { stdout: Buffer.from(result.stdout), exitCode };
  } catch (error) {
    if (error instanceof GitError) throw error;
    if (error instanceof ExecaError && error.code === 'ENOENT') throw new GitError(`${command} is not installed`, undefined, false);
    throw new GitError(`${command} could not run: ${error instanceof Error ? error.message : String(error)}`, undefined, false);
  }
}

export function git(repo: string, args: string[], options: RunOptions = {}): Promise<string> {
  return runTool('git', [...safeGitConfig, ...args], repo, options).then((result) => result.stdout);
}

/** The top of the work tree when `dir` is (inside) a git checkout; undefined otherwise. */
export async function gitTopLevel(dir: string, options: RunOptions = {}): Promise<string | undefined> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) return undefined;
    const top = (await git(dir, ['rev-parse', '--show-toplevel'], options)).trim();
    return top ? await fs.realpath(top) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `relative` resolved inside `root` with symlinks followed, or undefined when it would leave the repository (a
 * `../../etc/passwd` frame, or a symlink to /etc). `root` must already be a realpath.
 */
export async function insideRepo(root: string, relative: string): Promise<string | undefined> {
  if (relative.includes('\0')) return undefined;
  const joined = path.resolve(root, relative);
  if (joined !== root && !joined.startsWith(root + path.sep)) return undefined;
  try {
    const real = await fs.realpath(joined);
    return real === root || real.startsWith(root + path.sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

export interface TreeEntry {
  path: string;
  blob: string;
}

/** Regular files of a revision (symlinks and submodules left out: they could point outside the repository). */
export async function listFiles(repo: string, revision: string, options: RunOptions = {}): Promise<TreeEntry[]> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', revision], options);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '120000' || !blob) continue;
    entries.push({ path: record.slice(tab + 1), blob });
  }
  return entries;
}

/** Blob contents by object id in one `git cat-file --batch`; a missing object is left out. */
export async function readBlobs(repo: string, blobs: string[], options: RunOptions = {}): Promise<Map<string, string>> {
  const unique = [...new Set(blobs)].filter((blob) => /^[0-9a-f]{40,64}$/.test(blob));
  const contents = new Map<string, string>();
  if (unique.length === 0) return contents;
  // Sizes are in bytes: walk the output as a buffer.
  const { stdout: buffer } = await runToolRaw('git', [...safeGitConfig, 'cat-file', '--batch'], repo, { ...options, input: unique.join('\n') + '\n' });
  let offset = 0;
  while (offset < buffer.length) {
    const newline = buffer.indexOf(10, offset);
    if (newline < 0) break;
    const header = buffer.subarray(offset, newline).toString('utf8').split(' ');
    offset = newline + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    contents.set(header[0]!, buffer.subarray(offset, offset + size).toString('utf8'));
    offset += size + 1;
  }
  return contents;
}
