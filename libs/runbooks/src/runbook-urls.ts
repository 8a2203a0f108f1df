/** Where the ingress's redirect sends a reader: RUNBOOKS_BASE_URL (`{name}` replaced, else `/<name>` appended), or its own page. */
export function runbookTargetUrl(runbooksBaseUrl: string | undefined, name: string): string {
  if (!runbooksBaseUrl) return `/runbooks/${encodeURIComponent(name)}`;
  return runbooksBaseUrl.includes('{name}') ? runbooksBaseUrl.replace(/\{name\}/g, encodeURIComponent(name)) : `${runbooksBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
}

/** The link put in comments and alerts: through the ingress's click-counting redirect. */
export function runbookLinkUrl(publicUrl: string, name: string, issueId?: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(name)}${issueId ? `?issue=${encodeURIComponent(issueId)}` : ''}`;
}
