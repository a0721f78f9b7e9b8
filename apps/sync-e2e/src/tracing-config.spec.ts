import { spawnSync } from 'node:child_process';
import { builtEntryPoint } from '@timelog-sync/testing';

// The tracing variables are read before anything else starts (tracing must hook into http, pg and kafkajs first),
// and are validated like every other setting: named, exit 78, nothing started.
describe('a built service with a bad OTEL_* variable', () => {
  const start = (app: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [builtEntryPoint(app)], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20_000 });

  it.each(['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'])('%s exits 78 naming an unknown sampler', (app) => {
    const run = start(app, { OTEL_TRACES_SAMPLER: 'sometimes' });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('Invalid configuration:\n  - OTEL_TRACES_SAMPLER: Invalid enum value');
  });

  it('exits 78 for a sampling ratio outside 0..1 and for an unknown exporter', () => {
    expect(start('sync-writer', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' })).toMatchObject({ status: 78, stderr: expect.stringContaining('OTEL_TRACES_SAMPLER_ARG: Number must be less than or equal to 1') });
    expect(start('sync-writer', { OTEL_TRACES_EXPORTER: 'zipkin' })).toMatchObject({ status: 78, stderr: expect.stringContaining('OTEL_TRACES_EXPORTER: Invalid enum value') });
  });
});
