import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parse } from 'yaml';
import { allHandlers } from '@triage/jobs/handlers';
import { repoRoot } from '@triage/testing';

/**
 * A queue with a handler but no consumer in production fills up and never drains; with the stuck-queue rule it also
 * fails /readyz after 10 minutes. Every handled queue must be consumed by some PM2 app and some compose service.
 */
const handled = allHandlers.map((handler) => handler.contract.name).sort();

function queuesOf(args: string): string[] {
  const match = /--queues[= ](\S+)/.exec(args);
  return match ? match[1]!.split(',') : [];
}

describe('every handled queue has a consumer in production', () => {
  it('ecosystem.config.js', async () => {
    const { stdout } = await execa('node', ['-e', "process.stdout.write(JSON.stringify(require('./ecosystem.config.js').apps))"], { cwd: repoRoot });
    const apps = JSON.parse(stdout) as Array<{ args?: string }>;
    const consumed = new Set(apps.flatMap((app) => queuesOf(String(app.args ?? ''))));
    expect(handled.filter((queue) => !consumed.has(queue))).toEqual([]);
  });

  it('docker/compose.yml', () => {
    const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker/compose.yml'), 'utf8')) as { services: Record<string, { command?: string[] }> };
    const consumed = new Set(Object.values(compose.services).flatMap((service) => queuesOf((service.command ?? []).join(' '))));
    expect(handled.filter((queue) => !consumed.has(queue))).toEqual([]);
  });
});
