// Infers each project's lint, test (unit) and int-test targets from its files, so `nx affected -t test` runs
// what a change touches without a hand-kept target list per project.json. `npm test` stays the one command
// for everything; int-test expects the broker and database that scripts/test.sh starts (see README, Tests).
'use strict';
const { readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createNodesFromFiles } = require('@nx/devkit');

/** Whether any file under `dir` ends with `suffix` (node_modules and build output skipped). */
function containsFile(dir, suffix) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && containsFile(join(dir, entry.name), suffix)) return true;
    } else if (entry.name.endsWith(suffix)) return true;
  }
  return false;
}

function targetsOf(projectRoot, workspaceRoot) {
  const absolute = join(workspaceRoot, projectRoot);
  const targets = {
    lint: {
      command: `eslint ${projectRoot} --max-warnings=0`,
      cache: true,
      inputs: ['default', '{workspaceRoot}/eslint.config.mjs'],
      options: { cwd: '{workspaceRoot}' },
    },
  };
  if (containsFile(absolute, '.spec.ts')) {
    targets.test = {
      command: `jest ${projectRoot}/ --selectProjects unit`,
      cache: true,
      inputs: ['default', '^production', '{workspaceRoot}/jest.config.js'],
      options: { cwd: '{workspaceRoot}' },
    };
  }
  if (containsFile(absolute, '.int-spec.ts')) {
    // Talks to the real broker and database: never served from cache.
    targets['int-test'] = {
      command: `jest ${projectRoot}/ --runInBand --selectProjects integration`,
      cache: false,
      options: { cwd: '{workspaceRoot}' },
    };
  }
  return targets;
}

exports.createNodesV2 = [
  '{apps,libs}/*/project.json',
  (configFiles, options, context) =>
    createNodesFromFiles(
      (configFile) => {
        const root = dirname(configFile);
        return { projects: { [root]: { targets: targetsOf(root, context.workspaceRoot) } } };
      },
      configFiles,
      options,
      context,
    ),
];
