#!/usr/bin/env node
// Entry point of the `triage` command: runs the TypeScript CLI through tsx (no build step needed).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.TSX_TSCONFIG_PATH ??= path.join(root, 'tsconfig.json');
register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
await import(pathToFileURL(path.join(root, 'apps/cli/src/main.ts')).href);
