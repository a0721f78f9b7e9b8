import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// Deployment files (deploy/k8s, docker-compose.yml) checked against the code: an app's environment is parsed by
// the app's own config schema from its build output, so a missing or misspelt variable fails the test.
const repoRoot = resolve(__dirname, '../../..');

export const PIPELINE_APPS = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'];

export interface ConfigCheck {
  ok: boolean;
  problems: string[];
  keys: string[];
  port: number;
}
const configChecks = new Map<string, ConfigCheck>();

/** Parses `env` with the app's own config schema from its build output, in a process that sees nothing else. */
export function checkConfig(app: string, env: Record<string, string>): ConfigCheck {
  const key = `${app} ${JSON.stringify(env)}`;
  if (!configChecks.has(key)) configChecks.set(key, runConfigCheck(app, env));
  return configChecks.get(key) as ConfigCheck;
}

function runConfigCheck(app: string, env: Record<string, string>): ConfigCheck {
  const script = `
    const config = require(${JSON.stringify(join(repoRoot, 'dist', app, 'apps', app, 'src', 'config.js'))});
    const schema = Object.values(config).find((value) => value && typeof value.safeParse === 'function' && value.shape);
    const result = schema.safeParse(process.env);
    process.stdout.write(JSON.stringify({ ok: result.success, problems: result.success ? [] : result.error.issues.map((i) => i.path.join('.') + ': ' + i.message), keys: Object.keys(schema.shape), port: schema.shape.PORT.parse(undefined) }));`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${app}: ${child.stderr}`);
  return JSON.parse(child.stdout);
}
