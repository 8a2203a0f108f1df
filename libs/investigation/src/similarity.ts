import type { CrashFrame } from './frames';

/** What two issues are compared on. */
export interface IssueSignature {
  type: string | null;
  /** Normalized in-app frames (`module:function`), throw first. */
  frames: string[];
  /** MinHash of the message's 5-character shingles. */
  minhash: number[];
}

export const minhashSize = 64;
const shingleSize = 5;

/** Ids, numbers, hex and quoted values vary between occurrences of one bug; the words around them do not. */
export function normalizeMessage(message: string | null | undefined): string {
  return (message ?? '')
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/g, '#')
    .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b/g, '#')
    .replace(/\d+/g, '0')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 2_000);
}

export function shingles(text: string): Set<string> {
  const out = new Set<string>();
  if (text.length > 0 && text.length < shingleSize) out.add(text);
  for (let index = 0; index + shingleSize <= text.length; index += 1) out.add(text.slice(index, index + shingleSize));
  return out;
}

function fnv1a(text: string, seed: number): number {
  let hash = (2166136261 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash >>> 0;
}

export function minhashOf(set: ReadonlySet<string>): number[] {
  const signature = new Array<number>(minhashSize).fill(0xffffffff);
  for (const item of set) {
    for (let seed = 0; seed < minhashSize; seed += 1) {
      const hash = fnv1a(item, Math.imul(seed + 1, 0x9e3779b1));
      if (hash < signature[seed]!) signature[seed] = hash;
    }
  }
  return set.size === 0 ? [] : signature;
}

/** Estimated Jaccard similarity of the two shingle sets (0 when either message is empty). */
export function minhashSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0 || a.length !== b.length) return 0;
  let equal = 0;
  for (let index = 0; index < a.length; index += 1) if (a[index] === b[index]) equal += 1;
  return equal / a.length;
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 0;
  let common = 0;
  for (const item of left) if (right.has(item)) common += 1;
  return common / (left.size + right.size - common);
}

/** `module:function` without line numbers or build hashes, so a frame survives unrelated edits and rebuilds. */
export function frameKey(frame: Pick<CrashFrame, 'module' | 'function' | 'path'>): string | undefined {
  const fn = (frame.function ?? '').replace(/^(async |new )/, '').replace(/\s*\[as .*\]$/, '').trim();
  const file = (frame.path ?? '').replace(/\\/g, '/').split('/').pop()?.replace(/\.[^.]+$/, '').replace(/[.-][0-9a-f]{6,}$/, '');
  const owner = frame.module ?? file ?? '';
  if (!fn && !owner) return undefined;
  return `${owner}:${fn}`.slice(0, 200);
}

export function signatureOf(type: string | null, message: string | null, frames: readonly CrashFrame[]): IssueSignature {
  const keys = frames
    .filter((frame) => frame.inApp)
    .map(frameKey)
    .filter((key): key is string => key !== undefined);
  return { type, frames: [...new Set(keys)].slice(0, 20), minhash: minhashOf(shingles(normalizeMessage(message))) };
}

export const similarityWeights = { type: 0.3, frames: 0.45, message: 0.25 } as const;

/** 0..1: same exception type, the same code path (frames) and a similar message, in that order of weight. */
export function similarityScore(a: IssueSignature, b: IssueSignature): { score: number; type: boolean; frames: number; message: number } {
  const type = a.type !== null && a.type === b.type;
  const frames = jaccard(a.frames, b.frames);
  const message = minhashSimilarity(a.minhash, b.minhash);
  const score = similarityWeights.type * Number(type) + similarityWeights.frames * frames + similarityWeights.message * message;
  return { score: Math.round(score * 1000) / 1000, type, frames, message };
}
