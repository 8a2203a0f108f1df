export {
  GlitchTipClient,
  minimumTokenLength,
  type GlitchTipClientOptions,
  type ListIssuesParams,
  type IssuePage,
  type IssueSort,
  type IssueSortField,
  type PageWalkOptions,
  type StatsV2Params,
  type TokenValidation,
  type PlannedRequest,
  type WriteResult,
} from './client';
export {
  GlitchTipHttpError,
  GlitchTipNetworkError,
  GlitchTipResponseError,
  CircuitOpenError,
  IntegrationDisabledError,
  RefusedRequestError,
} from './errors';
export { extractFrames, extractExceptions, normalizeFrame, type NormalizedFrame, type NormalizedException, type ContextLine } from './frames';
export { parseNextCursor } from './link-header';
export { missingScopes, triageRequiredScopes, type ScopeRequirement } from './scopes';
export { CircuitBreaker, type BreakerState, type BreakerOptions } from './circuit-breaker';
export { RateLimiter, TokenBucket, Semaphore, type RateLimitOptions } from './rate-limiter';
export { SharedRateLimiter, defaultSharedRateLimits, type RequestLimiter, type SharedRateLimits, type SharedRateLimiterOptions } from './shared-rate-limiter';
export { backoffDelayMs, parseRetryAfterMs, type BackoffOptions } from './retry-policy';
export {
  issueStatuses,
  issueLevels,
  issueSchema,
  eventSchema,
  projectAlertSchema,
  type IssueStatus,
  type IssueLevel,
  type GlitchTipIssue,
  type GlitchTipEvent,
  type GlitchTipComment,
  type GlitchTipOrganization,
  type GlitchTipRoot,
  type StackFrame,
  type ExceptionValue,
  type IssueTag,
  type IssueStats,
  type ProjectAlertRule,
  type StatsV2,
} from './schemas';
