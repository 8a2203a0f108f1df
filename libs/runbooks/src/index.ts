export * from './runbook';
export { parseRunbook, type ParseResult } from './parse-runbook';
export { compilePattern, type CompiledPattern } from './compile-pattern';
export { prepareRunbook, matchFingerprint, type PreparedRunbook, type PreparedPattern } from './prepare-runbooks';
export { lintRunbooks, backtrackingRisk, requiredSections, type LintResult, type RunbookFile } from './lint-runbooks';
export { patternWitnesses } from './pattern-witness';
export { matchRunbooks, bestAutoLink, literalLength, type MatchOutcome, type RunbookMatch, type RunbookCandidate } from './match-runbooks';
export { renderRunbookPage, renderMarkdown, escapeHtml, safeLinkTarget } from './render-runbook';
export { renderRunbookIndex, indexFileName } from './runbook-index';
export { listRunbookFiles, readRunbookFiles } from './runbook-files';
export { RunbookStore, type RunbookStoreOptions } from './runbook-store';
export { sharedRunbookStore } from './runbook-store';
export {
  claimLink,
  markPosted,
  releaseClaim,
  linksOfIssue,
  staleClaimMs,
  type ClaimOutcome,
  type RunbookLinkState,
  type RunbookLinkRow,
} from './runbook-links';
export { countClick, clicksByRunbook } from './runbook-clicks';
export { runbookLinkUrl, runbookTargetUrl } from './runbook-urls';
export { runbookCommentText, isRunbookComment, commentMarker } from './runbook-comment';
export { issueFactsOf, type IssueFields, type EventFields } from './issue-facts';
export { answerRunbookCommand, runbookReplyLines } from './runbook-command';
