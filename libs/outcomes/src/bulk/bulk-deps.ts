import type { Database } from '@triage/db';
import type { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';

/** What bulk actions need; the CLI and the Telegram jobs each build one. */
export interface BulkDeps {
  db: Database;
  glitchtip: GlitchTipClient;
  /** Backups go to DATA_DIR/backups/. */
  dataDir: string;
  log: Logger;
  now?: () => Date;
  /** Called after each batch (CLI progress). */
  onProgress?: (done: number, total: number) => void;
}

export const batchSize = 100;

export function nowOf(deps: BulkDeps): Date {
  return deps.now ? deps.now() : new Date();
}
