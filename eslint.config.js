import nx from '@nx/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

const producerForbidden = {
  paths: [
    { name: '@triage/jobs/handlers', message: 'Producers only enqueue: job handlers belong to worker processes.' },
    { name: '@triage/worker-runtime', message: 'Producers only enqueue: the worker runtime belongs to worker processes.' },
  ],
};

export default [
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.nx/**', 'coverage/**', 'drizzle/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Producers (ingress, bot) validate and enqueue; they cannot reach worker-only code.
            { sourceTag: 'type:producer', onlyDependOnLibsWithTags: ['type:shared', 'type:queue', 'type:jobs'] },
            { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:shared'] },
            { sourceTag: 'type:queue', onlyDependOnLibsWithTags: ['type:shared'] },
            // Job contracts: what producers and workers share; never a transport or a handler.
            { sourceTag: 'type:jobs', onlyDependOnLibsWithTags: ['type:shared', 'type:queue'] },
            { sourceTag: 'type:worker', onlyDependOnLibsWithTags: ['type:shared', 'type:queue', 'type:jobs', 'type:worker'] },
            { sourceTag: 'type:worker-app', onlyDependOnLibsWithTags: ['type:shared', 'type:queue', 'type:jobs', 'type:worker'] },
            // The CLI runs operator work in the foreground (bulk actions and their restore, the weekly review), so it may use worker libs.
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:shared', 'type:queue', 'type:jobs', 'type:cli', 'type:producer', 'type:worker'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:shared', 'type:queue', 'type:jobs', 'type:cli', 'type:testing', 'type:worker'] },
          ],
        },
      ],
    },
  },
  {
    // Tests and their fixtures may use the shared test support from any project.
    files: ['**/*.test.ts', '**/fixtures/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] },
      ],
    },
  },
  {
    files: ['apps/ingress/**/*.ts', 'apps/bot/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', producerForbidden] },
  },
];
