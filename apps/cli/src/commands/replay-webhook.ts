import fs from 'node:fs/promises';

export interface ReplayTarget {
  /** Base URL of the running ingress, e.g. http://localhost:3000. */
  url: string;
  token: string;
}

/**
 * Feeds a saved GlitchTip webhook body to a running ingress through the same endpoint GlitchTip uses, bytes
 * unchanged, and returns the ingress's answer (parsed when it is JSON).
 */
export async function replayWebhookFile(file: string, { url, token }: ReplayTarget): Promise<{ status: number; body: unknown }> {
  const payload = await fs.readFile(file);
  const endpoint = `${url.replace(/\/+$/, '')}/api/glitchtip-webhook?token=${encodeURIComponent(token)}`;
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}
