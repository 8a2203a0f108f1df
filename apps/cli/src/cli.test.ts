import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { repoRoot } from '@triage/testing';

/** The `triage` command as a user runs it, in a clean environment. */
function triage(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', CI: 'true', ...env };
  return execa('node', ['bin/triage.js', ...args], { cwd: repoRoot, env: clean, extendEnv: false, reject: false, timeout: 60_000 });
}

describe('triage command line', () => {
  it('--help lists the commands', async () => {
    const result = await triage(['--help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['start', 'migrate', 'replay', 'health']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('start with invalid configuration exits 1 naming every bad variable, before starting anything', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-'));
    try {
      const result = await triage(['start'], { DATA_DIR: dataDir, PORT: 'eighty', REDIS_URL: 'localhost:6379', GLITCHTIP_BASE_URL: 'http://gt:8000' });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        'Invalid configuration:',
        '  - REDIS_URL: must be a URL (redis: or rediss:)',
        '  - PORT: must be a number',
        '  - GLITCHTIP_API_TOKEN: is required when GLITCHTIP_BASE_URL is set',
      ]);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('start without redis-server on the PATH says how to install it or to set REDIS_URL, in one line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-'));
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-bin-'));
    try {
      // A PATH with node and a shell but no redis-server.
      fs.symlinkSync(process.execPath, path.join(binDir, 'node'));
      fs.symlinkSync('/bin/sh', path.join(binDir, 'sh'));
      const result = await triage(['start'], { DATA_DIR: dataDir, PATH: binDir });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim()).toBe(
        'redis-server is not installed: run `sudo apt-get install -y redis-server`, or set REDIS_URL to a Redis you already have',
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(binDir, { recursive: true, force: true });
    }
  });

  it('replay refuses a missing file', async () => {
    const result = await triage(['replay', '/nonexistent/payload.json'], { WEBHOOK_TOKEN: 'a-token-long-enough-123' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('No such file: /nonexistent/payload.json');
  });
});
