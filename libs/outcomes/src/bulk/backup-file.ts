import fs from 'node:fs/promises';
import path from 'node:path';
import type { BulkItem, BulkOperation } from './bulk-state';

export function backupPath(dataDir: string, operationId: string): string {
  return path.join(dataDir, 'backups', `bulk-${operationId}.json`);
}

export interface BackupDocument {
  id: string;
  action: BulkOperation['action'];
  query: string;
  project: string | null;
  requestedBy: string;
  backedUpAt: string;
  issues: Array<{ id: string; title: string; priorStatus: BulkItem['priorStatus'] }>;
}

/** Written whole or not at all (temp file, fsync, rename), so a crash never leaves half a backup. */
export async function writeBackupFile(file: string, document: BackupDocument): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
}

export async function readBackupFile(file: string): Promise<BackupDocument> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as BackupDocument;
}
