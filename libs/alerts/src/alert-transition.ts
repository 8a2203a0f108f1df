import type { AlertState, AlertTransition } from './alert-state';

/** What the alert row says about the alert before a new signal is recorded. */
export interface PreviousAlert {
  state: AlertState;
  mutedUntil: Date | null;
  /** false for a row a mute created before the issue ever alerted (no snapshot yet). */
  hasAlerted: boolean;
  /** Uptime monitors: whether the last recorded signal said down; null for issues. */
  uptimeDown: boolean | null;
  /** Uptime monitors: when the current (or last) outage began. */
  downSince: string | null;
  lastAlertedAt: Date;
  lastSignalAt: Date | null;
  lastSignalKey: string | null;
  lastTransition: AlertTransition | null;
  /** Recorded while GLITCHTIP_INTEGRATION_ENABLED=false: nobody was told. */
  suppressed: boolean;
}

export type IncomingSignal =
  | { kind: 'issue'; regressed: boolean; receivedAt: Date; signalKey: string }
  | { kind: 'uptime'; down: boolean; receivedAt: Date; signalKey: string };

export type AlertDecision =
  | {
      action: 'record';
      transition: AlertTransition;
      /** Back to open: someone's resolve, ignore or ended mute no longer holds. */
      reopen: boolean;
      /** Whether a mute still running holds the message back (the signal is recorded, nobody is told). */
      muted: boolean;
      downSince: string | null;
      /** For a recovery: how long the monitor was down. */
      downForMs: number | null;
    }
  /** This very job recorded the signal already (a retry): repeat its fan-out, write nothing. */
  | { action: 'retry'; transition: AlertTransition }
  /** A true repeat inside the dedup window, or an uptime signal older than the one already recorded. */
  | { action: 'skip'; why: 'duplicate' | 'stale' };

export interface TransitionRules {
  /** Repeats of the same state within this window of the last recorded signal are one alert. */
  dedupWindowMs: number;
}

/**
 * The transition one signal makes, from the alert as recorded. Only a plain repeat of the same state can collapse
 * into an earlier alert; anything that changed (a regression, an alert after a resolve, ignore or mute, a monitor going
 * down after it recovered, a recovery) is always recorded.
 */
export function decideTransition(previous: PreviousAlert | undefined, signal: IncomingSignal, rules: TransitionRules): AlertDecision {
  if (previous?.lastSignalKey === signal.signalKey && previous.lastTransition) return { action: 'retry', transition: previous.lastTransition };
  const receivedAt = signal.receivedAt.getTime();
  const mutedNow = previous?.state === 'muted' && previous.mutedUntil !== null && previous.mutedUntil.getTime() > receivedAt;
  if (!previous?.hasAlerted) {
    const downSince = signal.kind === 'uptime' && signal.down ? signal.receivedAt.toISOString() : null;
    return record('new', { muted: mutedNow, downSince });
  }
  const lastSignalAt = (previous.lastSignalAt ?? previous.lastAlertedAt).getTime();
  const withinWindow = receivedAt - lastSignalAt < rules.dedupWindowMs;
  // Nobody saw what was recorded while the alerts were switched off: the first signal after is news again.
  const repeat = (extra: { downSince?: string | null } = {}): AlertDecision => {
    if (previous.suppressed) return record('new', { muted: mutedNow, ...extra });
    if (withinWindow) return { action: 'skip', why: 'duplicate' };
    return record('repeat', { muted: mutedNow, ...extra });
  };

  if (signal.kind === 'uptime') {
    if (receivedAt < lastSignalAt) return { action: 'skip', why: 'stale' };
    const wasDown = previous.uptimeDown === true;
    if (signal.down) return wasDown ? repeat({ downSince: previous.downSince }) : record('outage', { muted: mutedNow, downSince: signal.receivedAt.toISOString() });
    if (!wasDown) return repeat();
    const downForMs = previous.downSince ? Math.max(0, receivedAt - Date.parse(previous.downSince)) : null;
    return record('recovery', { muted: mutedNow, downSince: previous.downSince, downForMs });
  }

  // A regression keeps a running mute: a mute is a promise of quiet until its time.
  if (signal.regressed) {
    // The poller and the webhook can both report one regression; a second one needs a close in between.
    if (previous.lastTransition === 'regression' && previous.state === 'open' && withinWindow) return { action: 'skip', why: 'duplicate' };
    return record('regression', { muted: mutedNow, reopen: !mutedNow });
  }
  if (mutedNow) return repeat();
  if (previous.state !== 'open') return record('realert', { reopen: true });
  return repeat();
}

function record(
  transition: AlertTransition,
  options: { muted?: boolean; reopen?: boolean; downSince?: string | null; downForMs?: number | null },
): AlertDecision {
  return {
    action: 'record',
    transition,
    reopen: options.reopen ?? false,
    muted: options.muted ?? false,
    downSince: options.downSince ?? null,
    downForMs: options.downForMs ?? null,
  };
}
