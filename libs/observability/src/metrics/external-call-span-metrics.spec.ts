import { SpanStatusCode, trace } from '@opentelemetry/api';
import { TracingHandle, startTracing } from '../tracing/start-tracing';
import { syncMetrics } from './sync-metrics';

type Sample = { metricName?: string; labels: Record<string, string | number | undefined>; value: number };

async function sample(metric: 'externalCallDuration' | 'externalCallErrors', labels: Record<string, string>, metricName?: string) {
  const values = (await syncMetrics[metric].get()).values as Sample[];
  return values.find((value) => (!metricName || value.metricName === metricName) && Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value ?? 0;
}

describe('external-call metrics from the vendor clients spans', () => {
  let tracing: TracingHandle;

  beforeAll(() => {
    // No exporter: vendor calls are counted even where traces go nowhere.
    tracing = startTracing({ serviceName: 'sync-writer', exporter: 'none' });
  });
  afterAll(() => tracing.shutdown());

  const vendorSpan = (name: string, attributes: Record<string, string>, failed: boolean) =>
    trace.getTracer('test').startActiveSpan(name, { attributes }, (span) => {
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'refused' });
      span.end();
    });

  it('times each call by vendor and operation and counts failures by the failure class the client recorded', async () => {
    vendorSpan('timelog CreateTask', { 'timelog.operation': 'CreateTask' }, false);
    vendorSpan('timelog CreateTask', { 'timelog.operation': 'CreateTask', 'timelog.failure_class': 'permanent' }, true);
    vendorSpan('forecast getTask', { 'forecast.operation': 'getTask' }, true);
    vendorSpan('sync task', { 'company.id': 'acme' }, true);

    expect(await sample('externalCallDuration', { vendor: 'timelog', operation: 'CreateTask' }, 'timelog_sync_external_call_seconds_count')).toBe(2);
    expect(await sample('externalCallErrors', { vendor: 'timelog', operation: 'CreateTask', class: 'permanent' })).toBe(1);
    expect(await sample('externalCallErrors', { vendor: 'forecast', operation: 'getTask', class: 'unclassified' })).toBe(1);
    const counts = (await syncMetrics.externalCallDuration.get()).values.filter((value) => value.metricName === 'timelog_sync_external_call_seconds_count');
    expect(counts.reduce((sum, value) => sum + value.value, 0)).toBe(3); // the sync span is no vendor call
  });
});
