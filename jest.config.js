import fs from 'node:fs';

const { compilerOptions } = JSON.parse(fs.readFileSync(new URL('./tsconfig.base.json', import.meta.url), 'utf8'));

// tsconfig paths -> jest module names, longest first so '@triage/jobs/handlers' wins over '@triage/jobs'.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths)
    .sort(([a], [b]) => b.length - a.length)
    .map(([alias, [target]]) => [`^${alias.replace(/[/]/g, '\\/')}$`, `<rootDir>/${target.replace(/^\.\//, "")}`]),
);

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper,
  testMatch: ['<rootDir>/apps/**/*.test.ts', '<rootDir>/libs/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  verbose: false,
};
