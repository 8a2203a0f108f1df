import fs from 'node:fs';
import type { RunningService } from '../../libs/embedded/src/index';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __triageTestServices?: { services: RunningService[]; dir: string } }).__triageTestServices;
  if (!state) return;
  for (const service of state.services.reverse()) await service.stop();
  fs.rmSync(state.dir, { recursive: true, force: true });
}
