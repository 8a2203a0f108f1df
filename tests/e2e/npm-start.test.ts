import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { findFreePort } from '@triage/embedded';
import { repoRoot, waitFor, glitchtipContractDir } from '@triage/testing';

const contractDir = glitchtipContractDir;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function portAfter(output: string, label: RegExp): number {
  const port = Number(label.exec(output)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port for ${label} in:\n${output}`);
  return port;
}

describe('npm start with no configuration', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-start-'));
  fs.chmodSync(dataDir, 0o755); // reachable by the postgres user, as ./.data is
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('brings up Redis, Postgres, ingress and worker; answers /healthz; Ctrl-C stops them all', async () => {
    const port = await findFreePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_OPTIONS: '', CI: 'true' };
    for (const name of ['REDIS_URL', 'DATABASE_URL', 'WEBHOOK_TOKEN', 'TELEGRAM_BOT_TOKEN', 'GLITCHTIP_BASE_URL', 'GLITCHTIP_API_TOKEN', 'QUEUE_PREFIX']) {
      delete env[name];
    }
    // Its own process group, like a shell job: the Ctrl-C below goes to the whole group, as a terminal's would.
    const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => output.includes('Triage is running.'), { timeoutMs: 90_000, what: `the start banner; output so far:\n${output}` });
      const webhookUrl = /webhook {4}(\S+)/.exec(output)?.[1];
      expect(webhookUrl).toMatch(new RegExp(`^http://localhost:${port}/api/glitchtip-webhook\\?token=[A-Za-z0-9_-]{16,}$`));
      expect(fs.readFileSync(path.join(dataDir, 'webhook-token'), 'utf8').trim()).toBe(new URL(webhookUrl!).searchParams.get('token'));

      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      const body = fs.readFileSync(path.join(contractDir, 'webhook_issue_alert_generic_single.json'), 'utf8');
      const response = await fetch(webhookUrl!.replace('localhost', '127.0.0.1'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(202);
      await waitFor(() => output.includes('"msg":"alert recorded"'), { timeoutMs: 30_000, what: 'the worker to record the alert' });
      const redisPort = portAfter(output, /redis {6}private redis-server on redis:\/\/127\.0\.0\.1:(\d+)/);
      const postgresPort = portAfter(output, /postgres {3}embedded Postgres on 127\.0\.0\.1:(\d+)/);
      expect(await listening(redisPort)).toBe(true);
      expect(await listening(postgresPort)).toBe(true);

      process.kill(-child.pid!, 'SIGINT');
      await exited;
      expect(output).toMatch(/Triage stopped/);
      expect(output).toMatch(/"name":"worker".*"msg":"stopped"/);
      expect(output).toMatch(/"name":"ingress".*"msg":"(stopped|ingress stopped)"/);
      expect(await listening(redisPort)).toBe(false);
      expect(await listening(postgresPort)).toBe(false);
      expect(await listening(port)).toBe(false);
    } finally {
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // the group is already gone
        }
      };
      if (child.exitCode === null) {
        signalGroup('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      }
      if (child.exitCode === null) signalGroup('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
    }
  }, 150_000);
});
