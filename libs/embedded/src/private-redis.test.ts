import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startPrivateRedis } from './private-redis';

/** What the server answers a client that sends one command without authenticating. */
function rawReply(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

describe('the private Redis of `npm start` (issue 10 item 14)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-private-redis-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('requires a generated password, kept in DATA_DIR with mode 0600 and off the command line, and keeps it across restarts', async () => {
    const redisDir = path.join(dir, 'redis');
    const first = await startPrivateRedis({ dir: redisDir, persistent: false });
    let passwordSeen: string;
    try {
      passwordSeen = fs.readFileSync(path.join(redisDir, 'redis.password'), 'utf8').trim();
      expect(passwordSeen).toMatch(/^[0-9a-f]{64}$/);
      expect(mode(path.join(redisDir, 'redis.password'))).toBe(0o600);
      expect(mode(path.join(redisDir, 'redis.conf'))).toBe(0o600);
      expect(mode(redisDir)).toBe(0o700);
      expect(first.address).not.toContain(passwordSeen);

      expect(await rawReply(Number(new URL(first.address).port), 'PING')).toMatch(/^-NOAUTH/);
      const owner = new Redis(first.url, { maxRetriesPerRequest: 0 });
      await expect(owner.ping()).resolves.toBe('PONG');
      owner.disconnect();
      const pid = fs.readFileSync(path.join(redisDir, 'redis.pid'), 'utf8').trim();
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(passwordSeen);
    } finally {
      await first.stop();
    }
    const second = await startPrivateRedis({ dir: redisDir, persistent: false });
    try {
      expect(second.url).toContain(`:${passwordSeen}@`);
      const owner = new Redis(second.url, { maxRetriesPerRequest: 0 });
      await expect(owner.ping()).resolves.toBe('PONG');
      owner.disconnect();
    } finally {
      await second.stop();
    }
  });
});
