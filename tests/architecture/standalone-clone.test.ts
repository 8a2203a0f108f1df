import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { repoRoot } from '@triage/testing';

describe('a clone of this repository alone', () => {
  it('has no code, test, bench or CI file that reads the shared folder beside the repository (a user clones only this repository)', async () => {
    const { stdout } = await execa('git', ['grep', '-nE', String.raw`\.\./shared`, '--', '*.ts', '*.js', '*.mjs', '*.cjs', '*.json', '.ci/*'], {
      cwd: repoRoot,
      reject: false,
    });
    const readers = stdout.split('\n').filter((line) => line !== '' && !/^[^:]+:\d+:\s*(\/\/|\*|\/\*)/.test(line));
    expect(readers).toEqual([]);
  });
});
