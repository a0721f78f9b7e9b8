// Module boundaries by role: apps -> features -> runtime/connections/messaging -> data access and vendor clients
// -> domain -> contracts, never back; no feature reaches into another, and data access never into a vendor client.
// Simulators see only utilities so they can never agree with our clients by sharing code.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// What an EntityManager reads or writes with, and the names it goes by (a transaction's `manager`, `dataSource.manager`).
const ENTITY_MANAGER_CALLS = '/^(find|findBy|findOne|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|count|countBy|exists|existsBy|save|insert|update|upsert|delete|remove|softDelete|restore|increment|decrement|clear)$/';
const MANAGER_NAMES = '/^(manager|entityManager|em|dataSource)$/';

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
    // Tables are touched only by their data-access module (libs/persistence/src/data-access): no raw SQL, query
    // builder, repository or entity-manager write anywhere else. Tests, tooling and the chaos/bench drivers may.
    files: ['**/*.ts'],
    ignores: [
      'libs/persistence/src/data-access/**',
      'libs/persistence/src/migrations/**',
      'libs/persistence/src/database-admin.ts',
      'libs/persistence/src/data-source.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'libs/testing/**',
      'apps/chaos/**',
      'apps/sync-e2e/**',
      'bench/**',
      'tools/**',
      'scripts/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'Raw SQL belongs in a data-access module (libs/persistence/src/data-access): call its function instead.' },
        { selector: "CallExpression[callee.property.name='createQueryBuilder']", message: 'Queries belong in a data-access module (libs/persistence/src/data-access).' },
        { selector: "CallExpression[callee.name='getRepository'], CallExpression[callee.property.name='getRepository']", message: 'Repositories are used only inside data-access modules (libs/persistence/src/data-access).' },
        {
          selector: `CallExpression[callee.property.name=${ENTITY_MANAGER_CALLS}]:matches([callee.object.name=${MANAGER_NAMES}], [callee.object.property.name=${MANAGER_NAMES}])`,
          message: 'Entity-manager reads and writes belong in a data-access module (libs/persistence/src/data-access).',
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
