// Runs TypeScript sources directly (SWC keeps decorator metadata for Nest DI) and maps @timelog-sync/* aliases.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
