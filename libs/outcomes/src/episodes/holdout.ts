import crypto from 'node:crypto';

export const experimentGroups = ['treatment', 'control'] as const;
export type ExperimentGroup = (typeof experimentGroups)[number];

/**
 * The issue's place in [0, 100): a hash of the id, so every process (and every rerun) puts an issue in the same group
 * with no shared state. The `holdout:v1:` salt keeps it independent of other uses of the id.
 */
export function holdoutBucketOf(issueId: string): number {
  const digest = crypto.createHash('sha256').update(`holdout:v1:${issueId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/** EXPERIMENT_HOLDOUT_PERCENT of issues go to the control group (no automatic investigation, no runbook link). */
export function holdoutGroupOf(issueId: string, holdoutPercent: number): ExperimentGroup {
  if (!(holdoutPercent > 0)) return 'treatment';
  return holdoutBucketOf(issueId) < holdoutPercent ? 'control' : 'treatment';
}
