import { git, type RunOptions } from './git';

export type RevisionSource = 'release' | 'first-seen' | 'default-branch';

export interface ResolvedRevision {
  sha: string;
  source: RevisionSource;
  /** The ref or release text it came from. */
  ref: string;
  /** One sentence for the report: which revision and why. */
  why: string;
}

const safeRefName = /^(?!-)(?!.*\.\.)(?!.*@\{)[A-Za-z0-9@][A-Za-z0-9._/+@-]{0,199}$/;
const shaLike = /^[0-9a-f]{7,40}$/i;

/**
 * Names under which a release may exist in the repository, most specific first: the release itself (a sha or tag),
 * the part after `name@`, and semver with and without a `v`. Anything that is not a plausible ref name (options,
 * `..`, whitespace) yields nothing.
 */
export function releaseRefCandidates(release: string | null | undefined): string[] {
  const text = (release ?? '').trim();
  if (!text) return [];
  const candidates: string[] = [text];
  const at = text.lastIndexOf('@');
  const version = at > 0 ? text.slice(at + 1) : text;
  if (at > 0) candidates.push(version);
  if (/^v\d/.test(version)) candidates.push(version.slice(1));
  else if (/^\d+(\.\d+)*([-+].*)?$/.test(version)) candidates.push(`v${version}`);
  // `name-1.2.3` tags exist too, for `name@1.2.3` releases.
  if (at > 0) candidates.push(`${text.slice(0, at).replace(/^@/, '').replace(/\//g, '-')}-${version}`);
  return [...new Set(candidates)].filter((candidate) => safeRefName.test(candidate));
}

async function verifyCommit(repo: string, name: string, options: RunOptions): Promise<string | undefined> {
  try {
    const out = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`], { ...options, okExitCodes: [1, 128] });
    const sha = out.trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

const defaultBranchRefs = ['refs/remotes/origin/HEAD', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];

/** The fetched default branch (origin/HEAD, else origin's main/master), else the checkout's HEAD; one git call. */
export async function defaultBranch(repo: string, options: RunOptions = {}): Promise<{ ref: string; sha: string } | undefined> {
  const out = await git(repo, ['for-each-ref', '--format=%(refname) %(objectname)', ...defaultBranchRefs], { ...options, okExitCodes: [1] }).catch(() => '');
  const found = new Map(out.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]));
  for (const ref of defaultBranchRefs) {
    const sha = found.get(ref);
    if (sha) return { ref, sha };
  }
  const head = await verifyCommit(repo, 'HEAD', options);
  return head ? { ref: 'HEAD', sha: head } : undefined;
}

function describeDate(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/**
 * The code that was running: the release's commit when the repository knows it; else the newest commit of the
 * default branch at or before first seen; else the default branch itself.
 */
export async function resolveRevision(repo: string, release: string | null | undefined, firstSeen: Date | null, options: RunOptions = {}): Promise<ResolvedRevision | undefined> {
  for (const candidate of releaseRefCandidates(release)) {
    const sha = shaLike.test(candidate) ? await verifyCommit(repo, candidate, options) : ((await verifyCommit(repo, `refs/tags/${candidate}`, options)) ?? (await verifyCommit(repo, candidate, options)));
    if (sha) {
      return { sha, source: 'release', ref: candidate, why: `the event's release ${JSON.stringify(release)} is commit ${sha.slice(0, 12)} (${shaLike.test(candidate) ? 'a commit id' : `ref ${candidate}`}); line numbers refer to it` };
    }
  }
  const branch = await defaultBranch(repo, options);
  if (!branch) return undefined;
  const releaseNote = release ? `the release ${JSON.stringify(release)} is not a commit or tag of the repository, so ` : 'the event names no release, so ';
  if (firstSeen && !Number.isNaN(firstSeen.getTime())) {
    const out = await git(repo, ['rev-list', '-1', `--before=${firstSeen.toISOString()}`, branch.sha], options);
    const sha = out.trim();
    if (sha) return { sha, source: 'first-seen', ref: branch.ref, why: `${releaseNote}the newest commit of ${branch.ref} at or before first seen (${describeDate(firstSeen.toISOString())}): ${sha.slice(0, 12)}` };
  }
  const noEarlier = firstSeen ? '; no commit predates first seen' : ' (first seen unknown)';
  return { sha: branch.sha, source: 'default-branch', ref: branch.ref, why: `${releaseNote}the current ${branch.ref} (${branch.sha.slice(0, 12)})${noEarlier}` };
}
