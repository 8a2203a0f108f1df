import fs from 'node:fs';

/**
 * A service left running by a run that was killed outright (its pid file names it) would hold our data directory:
 * stop it before starting a new one. Only a process whose command line matches is touched.
 */
export async function stopStaleProcess(pidFile: string, expectedCommand: string, signal: NodeJS.Signals): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]!.trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!command.includes(expectedCommand)) return;
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && fs.existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 100));
}
