import { isStuck, stuckReason, type QueueState } from './queue-state';
import { p95DurationMs, successRate, type JobStatsWindow } from './job-stats';

export type Reachability = { name: string; state: 'ok' | 'not configured' | 'down'; detail?: string };

export interface HealthInputs {
  now: Date;
  /** Per job type, the last 24 h; undefined when Redis could not be read. */
  jobs: Array<{ queue: string; window: JobStatsWindow }> | undefined;
  queues: QueueState[] | undefined;
  reachability: Reachability[];
  /** Problems found elsewhere (the ingress's answers), one line each. */
  otherProblems: string[];
  stuckAfterMs?: number;
}

export interface HealthSummary {
  lines: string[];
  problems: string[];
}

function durationText(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (!Number.isFinite(ms)) return '>300 s';
  return ms >= 1000 ? `≤${ms / 1000} s` : `≤${ms} ms`;
}

function ageText(at: Date | undefined, now: Date): string {
  if (!at) return '-';
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

/** `triage health`'s tables and the problems that make it exit 1 (a failed job is history, not a problem; a stuck queue is). */
export function summarizeHealth(inputs: HealthInputs): HealthSummary {
  const { now } = inputs;
  const problems = [...inputs.otherProblems];
  const lines: string[] = [];
  if (inputs.jobs) {
    lines.push('', 'Jobs, last 24 h        done  failed  success  p95');
    for (const { queue, window } of inputs.jobs) {
      const rate = successRate(window);
      lines.push(
        `  ${pad(queue, 18)} ${padLeft(String(window.completed), 6)} ${padLeft(String(window.failed), 7)} ${padLeft(rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`, 8)}  ${durationText(p95DurationMs(window))}`,
      );
    }
  }
  if (inputs.queues) {
    lines.push('', 'Queues               waiting  active  delayed  failed  oldest waiting');
    for (const state of inputs.queues) {
      const stuck = isStuck(state, now, inputs.stuckAfterMs);
      lines.push(
        `  ${pad(state.queue, 18)} ${padLeft(String(state.waiting), 7)} ${padLeft(String(state.active), 7)} ${padLeft(String(state.delayed), 8)} ${padLeft(String(state.failed), 7)}  ${ageText(state.oldestWaitingAt, now)}${stuck ? '  STUCK' : ''}`,
      );
      if (stuck) problems.push(stuckReason(state, now));
    }
  }
  lines.push('', 'Reachable');
  for (const check of inputs.reachability) {
    lines.push(`  ${pad(check.name, 18)} ${check.state}${check.detail ? ` (${check.detail})` : ''}`);
    if (check.state === 'down') problems.push(check.detail ? `${check.name} down: ${check.detail}` : `${check.name} unreachable`);
  }
  return { lines, problems };
}
