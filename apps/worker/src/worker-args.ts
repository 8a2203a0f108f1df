/** `--queues a,b` wins over WORKER_QUEUES; neither means every queue this build has a handler for. */
export function queuesToConsume(argv: string[], fromEnv: string[] | undefined, handled: string[]): string[] {
  const index = argv.findIndex((arg) => arg === '--queues' || arg.startsWith('--queues='));
  if (index >= 0) {
    const arg = argv[index]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[index + 1] ?? '');
    return value.split(',').map((queue) => queue.trim()).filter(Boolean);
  }
  return fromEnv ?? handled;
}
