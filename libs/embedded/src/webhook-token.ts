import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The token GlitchTip must carry; generated once and kept in DATA_DIR so the pasted URL stays valid. */
export function ensureWebhookToken(dataDir: string): string {
  const file = path.join(dataDir, 'webhook-token');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return existing;
  } catch {
    // first start
  }
  const token = crypto.randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
