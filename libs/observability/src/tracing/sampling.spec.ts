import { trace } from '@opentelemetry/api';
import { syncMetrics } from '../metrics/sync-metrics';
import { z } from 'zod';
import { parseConfig } from '@timelog-sync/config';
import { samplerEnv, samplerOf } from './sampling';
import { TracingHandle, startTracing } from './start-tracing';
import { currentTraceparent, withSpan } from './trace-context';

const samplerFromEnv = (env: NodeJS.ProcessEnv) => samplerOf(parseConfig(z.object(samplerEnv), env));

describe('trace sampling from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG', () => {
  it('samples every trace by default and builds the standard samplers', () => {
    expect(samplerFromEnv({}).toString()).toBe('ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).toString()).toMatch(/^ParentBased\{root=TraceIdRatioBased\{0\.1\}/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: ' TraceIdRatio ', OTEL_TRACES_SAMPLER_ARG: '' }).toString()).toBe('TraceIdRatioBased{1}');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString()).toBe('AlwaysOffSampler');
  });

  it('refuses an unknown sampler or a ratio outside 0..1 as a configuration error naming the variable', () => {
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER: Invalid enum value/);
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: Number must be less than or equal to 1/);
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER_ARG: 'half' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: Expected number/);
  });
});

describe('with no trace sampled', () => {
  let tracing: TracingHandle;

  beforeAll(() => {
    tracing = startTracing({ serviceName: 'sync-writer', exporter: 'memory', sampler: samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }) });
  });
  afterAll(() => tracing.shutdown());

  const callCount = async (operation: string) =>
    (await syncMetrics.externalCallDuration.get()).values.find((value) => value.metricName === 'timelog_sync_external_call_seconds_count' && value.labels.operation === operation)?.value ?? 0;

  it('still counts every vendor call in the external-call metrics, still carries trace ids, and exports nothing', async () => {
    const traceparent = await withSpan('sync work', {}, async () => {
      trace.getTracer('test').startActiveSpan('timelog InsertWork', { attributes: { 'timelog.operation': 'InsertWork' } }, (span) => span.end());
      return currentTraceparent();
    });
    trace.getTracer('test').startActiveSpan('forecast getTask', { attributes: { 'forecast.operation': 'getTask' } }, (span) => span.end());

    expect(await callCount('InsertWork')).toBe(1);
    expect(await callCount('getTask')).toBe(1);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(tracing.memoryExporter?.getFinishedSpans()).toEqual([]);
  });
});
