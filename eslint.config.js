import nx from '@nx/eslint-plugin';
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';

const producerForbidden = {
  paths: [
    { name: '@triage/jobs/handlers', message: 'Producers only enqueue: job handlers belong to worker processes.' },
    { name: '@triage/worker-runtime', message: 'Producers only enqueue: the worker runtime belongs to worker processes.' },
  ],
};

export default [
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.nx/**', 'coverage/**', 'drizzle/**'] },
  // typescript-eslint's recommended type-checked rules: floating promises, unsafe `any`, needless assertions...
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore marks a parameter kept for its position (Express error handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON bodies the fakes and the processes under test answer with: their `any` is the point of the
    // assertion that follows, so the no-unsafe-* family is off there (it stays on for everything that ships).
    files: ['**/*.test.ts', '**/fixtures/**/*.ts', 'libs/testing/**/*.ts', 'bench/**/*.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The fakes coerce request parameters to text the way Telegram and GlitchTip do (a number chat_id, a form field),
    // and test messages print whatever a failed check threw.
    files: ['libs/testing/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off', '@typescript-eslint/restrict-template-expressions': 'off' },
  },
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
