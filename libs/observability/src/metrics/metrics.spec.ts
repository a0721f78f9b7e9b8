import { Controller, Get, INestApplication, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExternalCallError } from '@timelog-sync/domain';
import { metricsRegistry } from './metrics-registry';
import { MetricsModule } from './metrics.module';
import { httpMetrics } from './http-metrics';
import { observeExternalCall } from './observe-external-call';
import { registerGaugeCollector, syncMetrics } from './sync-metrics';

const CATALOG = [
  'timelog_sync_consumer_lag',
  'timelog_sync_poll_age_seconds',
  'timelog_sync_poll_interval_seconds',
  'timelog_sync_reconciliation_differences',
  'timelog_sync_poll_duration_seconds',
  'timelog_sync_outbox_backlog',
  'timelog_sync_outbox_oldest_age_seconds',
  'timelog_sync_webhooks_total',
  'timelog_sync_parked',
  'timelog_sync_parked_by_reason',
  'timelog_sync_events_parked_total',
  'timelog_sync_dlq_messages_total',
  'timelog_sync_dlq_size',
  'timelog_sync_echo_drops_total',
  'timelog_sync_conflicts_total',
  'timelog_sync_external_call_seconds',
  'timelog_sync_external_call_errors_total',
  'timelog_sync_company_health',
  'timelog_sync_http_request_duration_seconds',
  'timelog_sync_events_processed_total',
  'timelog_sync_consumer_rebalances_total',
  'timelog_sync_metric_collector_errors_total',
];

@Controller('hooks')
class HooksController {
  @Get(':token/:kind')
  hook(@Param('kind') kind: string) {
    return { kind };
  }
}

@Module({ imports: [MetricsModule], controllers: [HooksController] })
class ServedModule {}

async function sampleValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value;
}

describe('GET /metrics', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await NestFactory.create(ServedModule, { logger: false });
    app.use(httpMetrics());
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves the whole catalog and process metrics in Prometheus text format', async () => {
    syncMetrics.webhooks.inc({ outcome: 'rejected', reason: 'unknown_token' });

    const response = await fetch(`${baseUrl}/metrics`);
    const body = await response.text();

    expect(response.status).toBe(200);
    // Express re-orders the parameters; Prometheus needs the text format and its version.
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    for (const name of CATALOG) expect(body).toContain(`# TYPE ${name} `);
    expect(body).toContain('timelog_sync_webhooks_total{outcome="rejected",reason="unknown_token"} 1');
    expect(body).toContain('process_cpu_user_seconds_total');
  });

  it('fills gauges from registered collectors at scrape time; a failing read drops the stale value and is counted from 0', async () => {
    let backlog = 3;
    let databaseUp = true;
    const removeBacklog = registerGaugeCollector('outboxBacklog', (gauge) => gauge.set(backlog));
    const removeFailing = registerGaugeCollector('pollAge', async (gauge) => {
      if (!databaseUp) throw new Error('database unavailable');
      gauge.set({ company: 'acme', vendor: 'timelog' }, 12);
    });
    try {
      const before = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(before).toContain('timelog_sync_outbox_backlog 3');
      expect(before).toContain('timelog_sync_poll_age_seconds{company="acme",vendor="timelog"} 12');
      expect(before).toContain('timelog_sync_metric_collector_errors_total{metric="timelog_sync_poll_age_seconds"} 0');
      backlog = 0;
      databaseUp = false;
      const body = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(body).toContain('timelog_sync_outbox_backlog 0');
      expect(body).not.toContain('timelog_sync_poll_age_seconds{');
      // Counted during this scrape, after the counter was written: the next scrape shows it.
      expect(await (await fetch(`${baseUrl}/metrics`)).text()).toMatch(/timelog_sync_metric_collector_errors_total\{metric="timelog_sync_poll_age_seconds"\} [1-9]/);
    } finally {
      removeBacklog();
      removeFailing();
    }
  });

  it('times every request by route template and status class, never by the raw path', async () => {
    expect((await fetch(`${baseUrl}/hooks/secret-token-123/task`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/no/such/secret-path`)).status).toBe(404);

    const body = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(body).toContain('timelog_sync_http_request_duration_seconds_count{method="GET",route="/hooks/:token/:kind",status_class="2xx"} 1');
    expect(body).toContain('timelog_sync_http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"} 1');
    expect(body).not.toMatch(/secret-token-123|secret-path/);
  });
});

describe('observeExternalCall', () => {
  it('times successful calls and counts failures by failure class', async () => {
    const labels = { vendor: 'timelog', operation: 'InsertWork' };

    await expect(observeExternalCall('timelog', 'InsertWork', async () => 'ok')).resolves.toBe('ok');
    await expect(
      observeExternalCall('timelog', 'InsertWork', async () => {
        throw new ExternalCallError('timelog', 'InsertWork', 'retryable', 'HTTP 503');
      }),
    ).rejects.toThrow('HTTP 503');
    await expect(
      observeExternalCall('timelog', 'InsertWork', async () => {
        throw new ExternalCallError('timelog', 'InsertWork', 'permanent', 'week closed');
      }),
    ).rejects.toThrow('week closed');
    await expect(
      observeExternalCall('timelog', 'InsertWork', async () => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');

    const histogram = await syncMetrics.externalCallDuration.get();
    const count = histogram.values.find((value) => value.metricName === 'timelog_sync_external_call_seconds_count' && value.labels.operation === 'InsertWork');
    expect(count?.value).toBe(4);
    for (const failureClass of ['retryable', 'permanent', 'unclassified']) {
      expect(await sampleValue('timelog_sync_external_call_errors_total', { ...labels, class: failureClass })).toBe(1);
    }
  });
});
