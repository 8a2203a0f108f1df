import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parse } from 'yaml';
import { allHandlers } from '@triage/jobs/handlers';
import { repoRoot } from '@triage/testing';

const handled = new Set(allHandlers.map((handler) => handler.contract.name));

function queuesOf(args: string): string[] {
  const match = /--queues[= ](\S+)/.exec(args);
  return match ? match[1]!.split(',') : [];
}

describe('production process files', () => {
  it('ecosystem.config.js loads the way PM2 loads it: one forked app per role, long kill_timeout, no cron_restart', async () => {
    // PM2 require()s the file and reads `.apps`.
    const { stdout } = await execa('node', ['-e', "process.stdout.write(JSON.stringify(require('./ecosystem.config.js').apps))"], { cwd: repoRoot });
    const apps = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(apps.map((app) => app.name)).toEqual(['triage-ingress', 'triage-bot', 'triage-worker-alerts', 'triage-worker-investigate']);
    for (const app of apps) {
      expect(app).toMatchObject({ exec_mode: 'fork', interpreter_args: '--import tsx' });
      expect(app).not.toHaveProperty('cron_restart');
      expect(fs.existsSync(path.join(repoRoot, String(app.script)))).toBe(true);
    }
    const worker = apps.find((app) => app.name === 'triage-worker-alerts')!;
    expect(Number(worker.kill_timeout)).toBeGreaterThan(60_000); // SHUTDOWN_TIMEOUT_MS default plus closing time
    for (const queue of queuesOf(String(worker.args))) expect(handled).toContain(queue);
    // Investigations have their own process: none of their queues shares the alert worker.
    const investigateWorker = apps.find((app) => app.name === 'triage-worker-investigate')!;
    expect(queuesOf(String(investigateWorker.args))).toEqual(['investigate', 'investigation-vote', 'investigation-summary', 'fetch-repos']);
    expect(queuesOf(String(worker.args))).not.toContain('investigate');
    for (const queue of queuesOf(String(investigateWorker.args))) expect(handled).toContain(queue);
  });

  it('docker/compose.yml runs Redis with noeviction and persistence, and only queues this build handles', () => {
    const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker/compose.yml'), 'utf8')) as {
      services: Record<string, { command?: string[] }>;
    };
    const redisCommand = compose.services.redis!.command!.join(' ');
    expect(redisCommand).toContain('--maxmemory-policy noeviction');
    expect(redisCommand).toContain('--appendonly yes');
    const workerQueues = queuesOf(compose.services.worker!.command!.join(' '));
    expect(workerQueues.length).toBeGreaterThan(0);
    for (const queue of workerQueues) expect(handled).toContain(queue);
    expect(queuesOf(compose.services['worker-investigate']!.command!.join(' '))).toEqual(['investigate', 'investigation-vote', 'investigation-summary', 'fetch-repos']);
    for (const service of ['ingress', 'bot', 'worker', 'migrate', 'postgres']) expect(compose.services).toHaveProperty(service);
  });
});
