import type { GlitchTipClient } from '@triage/glitchtip';
import type { BulkTarget } from './bulk-state';

export const projectSlugPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * Every issue the (already checked) query matches, newest activity first. GlitchTip filters projects by numeric id
 * only, so a project slug is matched on each listed issue. `truncated`: more than `cap` issues matched.
 */
export async function findTargets(
  glitchtip: GlitchTipClient,
  { query, project, cap }: { query: string; project: string | undefined; cap: number },
): Promise<{ targets: BulkTarget[]; truncated: boolean }> {
  const targets: BulkTarget[] = [];
  const maxPages = Math.ceil((cap + 1) / 100) + (project ? 50 : 0);
  for await (const page of glitchtip.iterateIssuePages({ query, sort: '-last_seen', limit: 100 }, { maxPages })) {
    for (const issue of page.items) {
      if (project && issue.project.slug !== project) continue;
      targets.push({ issueId: issue.id, title: issue.title, status: issue.status });
      if (targets.length > cap) return { targets: targets.slice(0, cap), truncated: true };
    }
  }
  return { targets, truncated: false };
}
