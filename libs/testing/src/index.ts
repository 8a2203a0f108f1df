export { testRedisUrl, testDatabaseServerUrl, uniquePrefix, createTestDatabase, clearPrefix, type TestDatabase } from './services';
export { waitFor } from './wait';
export { startTsProcess, startWorkerProcess, repoRoot, type StartedProcess, type WorkerProcessOptions } from './child-process';
export { glitchtipContractDir, readGlitchTipContract } from './contract-files';
export * from './telegram-fake/index';
export * from './glitchtip-fake/index';
export { createTestRepo, lines, type TestRepo } from './git-repo';
