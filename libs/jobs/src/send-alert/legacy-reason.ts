/** What the alert row and the message say when a job queued by an older build asks for an `uptime` send. */
export interface LegacyUptimeFacts {
  /** The monitor is down now (the snapshot). */
  down: boolean;
  /** alerts.last_transition / transition_at: what the latest signal changed, and when. */
  lastTransition: string | null;
  transitionAt: Date | null;
  /** When the newest message of the issue in this chat and topic was opened (null: none yet). */
  latestMessageAt: Date | null;
}

/**
 * The contract's rule for the legacy `uptime` reason: an outage (a new message that notifies) when the monitor had
 * recovered and is down again, and no message was opened for that outage yet (a newer job may have sent it already);
 * otherwise a repeat (an edit in place).
 */
export function legacyUptimeReason(facts: LegacyUptimeFacts): 'outage' | 'repeat' {
  if (!facts.down || facts.lastTransition !== 'outage' || facts.transitionAt === null) return 'repeat';
  if (facts.latestMessageAt !== null && facts.latestMessageAt.getTime() >= facts.transitionAt.getTime()) return 'repeat';
  return 'outage';
}
