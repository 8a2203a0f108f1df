import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const roleNames = ['ingress', 'worker', 'bot'] as const;
export type RoleName = (typeof roleNames)[number];

export const roleEntryPoints: Record<RoleName, string> = {
  ingress: path.join(repoRoot, 'apps/ingress/src/main.ts'),
  worker: path.join(repoRoot, 'apps/worker/src/main.ts'),
  bot: path.join(repoRoot, 'apps/bot/src/main.ts'),
};

export function parseRoles(value: string | undefined): RoleName[] {
  if (!value) return [...roleNames];
  const asked = value.split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = asked.filter((role) => !(roleNames as readonly string[]).includes(role));
  if (unknown.length > 0) throw new Error(`unknown role(s) ${unknown.join(', ')}; choose from ${roleNames.join(', ')}`);
  return asked as RoleName[];
}
