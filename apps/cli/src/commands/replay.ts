import fs from 'node:fs';
import type { Config } from '@triage/config';
import { readWebhookToken } from '@triage/embedded';
import { replayWebhookFile } from './replay-webhook';

/** `triage replay <payload.json>`: posts a saved webhook body to the running ingress, through GlitchTip's path. */
export async function replayCommand(config: Config, file: string, options: { url?: string }): Promise<number> {
  const token = config.webhookToken ?? readWebhookToken(config.dataDir);
  if (!token) {
    process.stderr.write('No webhook token: set WEBHOOK_TOKEN, or start Triage once so it generates one in DATA_DIR.\n');
    return 1;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`No such file: ${file}\n`);
    return 1;
  }
  const url = options.url ?? `http://127.0.0.1:${config.port}`;
  const { status, body } = await replayWebhookFile(file, { url, token });
  process.stdout.write(`${status} ${typeof body === 'string' ? body : JSON.stringify(body)}\n`);
  return status === 202 ? 0 : 1;
}

