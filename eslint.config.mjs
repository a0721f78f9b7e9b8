// Module boundaries by role: apps -> features -> runtime/connections/messaging -> data access and vendor clients
// -> domain -> contracts, never back; no feature reaches into another, and data access never into a vendor client.
// Simulators see only utilities so they can never agree with our clients by sharing code.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.data/**', '.run/**', 'tools/lint-fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:runtime', 'type:connections', 'type:messaging', 'type:data-access', 'type:vendor-client', 'type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            // A pipeline half never reaches into another: what they share lives below them.
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:connections', 'type:messaging', 'type:data-access', 'type:vendor-client', 'type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:connections', 'type:messaging', 'type:data-access', 'type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:connections', onlyDependOnLibsWithTags: ['type:data-access', 'type:vendor-client', 'type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:data-access', 'type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            // Tables know nothing of the vendors.
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:vendor-client', onlyDependOnLibsWithTags: ['type:telemetry', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:telemetry', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:simulator', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app', 'type:e2e', 'type:simulator'] },
            { sourceTag: 'type:e2e', notDependOnLibsWithTags: ['type:app', 'type:simulator'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
