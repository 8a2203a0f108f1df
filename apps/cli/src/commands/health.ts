import type { Config } from '@triage/config';

/** `triage health`: asks the running ingress; exit code 0 only when it is alive and ready. */
export async function healthCommand(config: Config, options: { url?: string }): Promise<number> {
  const base = (options.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  let healthy = true;
  for (const endpoint of ['/healthz', '/readyz']) {
    try {
      const response = await fetch(`${base}${endpoint}`, { signal: AbortSignal.timeout(5_000) });
      const body = await response.text();
      process.stdout.write(`${endpoint}  ${response.status}  ${body}\n`);
      if (!response.ok) healthy = false;
    } catch (error) {
      process.stdout.write(`${endpoint}  unreachable  ${(error as Error).message}\n`);
      healthy = false;
    }
  }
  return healthy ? 0 : 1;
}
