import fs from 'node:fs';
import { readRoutesFile, RoutesFileError, type RouteRule } from './routes-file';

export interface ConfigFiles {
  routes: RouteRule[];
  /** Deprecations worth a log line at start-up; never a reason to stop. */
  warnings: string[];
  /** `file:line:column: ...` or `VARIABLE: cannot read ...`; any of them stops start-up. */
  problems: string[];
}

/**
 * Reads and checks the files the environment names, so that a bad file stops `triage start` (and each role) before
 * any process runs, instead of a worker that exits and restarts in a loop behind an ingress answering 202.
 */
export function readConfigFiles(files: { routesFile: string | undefined; reposFile: string | undefined }): ConfigFiles {
  const result: ConfigFiles = { routes: [], warnings: [], problems: [] };
  if (files.routesFile !== undefined) {
    const text = readText('ROUTES_FILE', files.routesFile, result.problems);
    if (text !== undefined) {
      try {
        const parsed = readRoutesFile(text, files.routesFile);
        result.routes = parsed.rules;
        result.warnings.push(...parsed.warnings);
      } catch (error) {
        if (!(error instanceof RoutesFileError)) throw error;
        result.problems.push(...error.problems);
      }
    }
  }
  // TODO(REPOS_FILE): its parser (parseReposFile) is being written in libs/investigation, a worker lib that this shared
  // lib may not import; until it moves here, only readability is checked at start-up.
  if (files.reposFile !== undefined) readText('REPOS_FILE', files.reposFile, result.problems);
  return result;
}

function readText(variable: string, file: string, problems: string[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : message;
    problems.push(`${variable}: cannot read ${file}: ${why}`);
    return undefined;
  }
}
