/** Levels in rising severity, as GlitchTip stores them (sample=0 … fatal=5). */
export const alertLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type AlertLevel = (typeof alertLevels)[number];

export const issueStates = ['unresolved', 'resolved', 'ignored', 'muted', 'regressed'] as const;
export type IssueState = (typeof issueStates)[number];

/** One stack frame, named as GlitchTip's event API returns them (`lineNo`, `colNo`, `inApp` are renamed there). */
export interface StackFrameView {
  filename?: string | null;
  absPath?: string | null;
  function?: string | null;
  module?: string | null;
  lineNo?: number | null;
  colNo?: number | null;
  inApp?: boolean | null;
  contextLine?: string | null;
}

export interface AlertStatusView {
  state: IssueState;
  /** Who changed it, shown as given (pass `@username` for a Telegram user). */
  by?: string;
  /** ISO 8601 timestamps. */
  at?: string;
  until?: string;
}

/** Everything an alert message can show. Raw values: rendering scrubs PII and escapes them. */
export interface AlertView {
  kind: 'issue' | 'uptime';
  /** GlitchTip issue id, or the monitor id for uptime alerts. */
  issueId: string;
  shortId?: string;
  title: string;
  culprit?: string;
  level: AlertLevel | null;
  project?: string;
  component?: string;
  environment?: string;
  release?: string;
  /** GlitchTip sends the event count as a string. */
  count?: number | string;
  userCount?: number;
  firstSeen?: string;
  lastSeen?: string;
  /** Text, or frames in GlitchTip order (oldest call first). */
  stackTrace?: string | StackFrameView[];
  tags: Array<{ key: string; value: string }>;
  issueUrl: string;
  runbook?: { title: string; url: string };
  investigation?: { summary: string; url?: string };
  status?: AlertStatusView;
  /** Outcome metrics (libs/outcomes): who acknowledged the current episode, and whether the issue is in the A/B control group. */
  outcome?: { acknowledgedBy?: string; acknowledgedAt?: string; controlGroup?: boolean };
  /** downForMs on a recovery: how long the monitor was down. */
  uptime?: { down: boolean; monitorName: string; downForMs?: number };
  /** The alert's body listed fewer issues than it said it had (webhook-only mode): how many more, and where they are. */
  moreIssues?: { count: number; url: string };
}
