import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { TOPIC_SPECS, TOPICS } from '@timelog-sync/contracts';
import { createKafka, KafkaNamespace } from '@timelog-sync/messaging';
import { httpJson, matchingSamples, PipelineService, pollUntil, sampleTotal, Sample, scrapeMetrics, testEnvironment, TopicReader } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const SERVICES = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'] as const;
const RULES_FILE = resolve(__dirname, '../../../deploy/prometheus/rules/timelog-sync.yml');
const today = () => new Date().toISOString().slice(0, 10);

/** GET /metrics parsed into samples (Prometheus text format). */
const scrape = (pipeline: Pipeline, service: PipelineService) => scrapeMetrics(pipeline.system.url(service));
const matching = matchingSamples;
const total = sampleTotal;

describe('What SREs watch: traces, metrics, alerts and redaction over the running pipeline', () => {
  let pipeline: Pipeline;
  let registrationTraceId: string;
  const admin = () => ({ authorization: `Bearer ${pipeline.demo.adminKey}` });
  const company = () => pipeline.demo.companyId;
  const auditFor = (forecastId: number): Promise<any[]> =>
    httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${company()}/activity?forecastId=${forecastId}`, undefined, admin());

  beforeAll(async () => {
    // The webhook's trace is the one under test: a safety-net poll every 2 s (the fixture's) could sync the
    // registration first, under its own trace, while the deliveries wait to be claimed.
    pipeline = await startPipeline(25000, { FAULT_COMMIT_DELAY_MS: '0', SAFETY_POLL_INTERVAL_SECONDS: '3600' });
    const { demo, forecast, timelog } = pipeline;

    // Traffic: a task and a registration (delivered twice, so one delivery is deduplicated or dropped as an echo) ...
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Observed', assigned_persons: [demo.people.ann, demo.people.carl] });
    await pollUntil(async () => (await timelog.tasks()).find((t) => t.name === 'Observed'), { description: 'task synced', timeoutMs: 60_000 });
    await forecast.faults({ webhooks: { duplicate: true } });
    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 42, date: today(), notes: 'observed' });
    const [created] = await pollUntil(async () => {
      const rows = (await auditFor(registration.id)).filter((a) => a.action === 'created');
      return rows.length ? rows : undefined;
    }, { description: 'registration synced', timeoutMs: 60_000 });
    registrationTraceId = created.traceId;
    await forecast.faults({ webhooks: { duplicate: false } });
    // ... a registration of Carl, who is not linked, so it is parked ...
    await forecast.register(demo.people.carl, { task: task.id, time_registered: 30, date: today(), notes: 'parked' });
    // ... a webhook Forecast could never have sent ...
    const [subscription] = await httpJson('GET', `${pipeline.system.url('forecast-simulator')}/api/v1/webhook_subscriptions`, undefined, { 'X-FORECAST-API-KEY': demo.forecastApiKey });
    const webhookPath = new URL(subscription.url).pathname.replace(/\/[^/]+$/, '/task');
    const rejected = await fetch(`${pipeline.system.url('forecast-ingestor')}${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"not":"a webhook"}' });
    expect(rejected.status).toBe(400);
    // ... a TimeLog poll now rather than somewhere in the first interval ...
    await httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${demo.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    // ... and a message no consumer can read, so it is dead-lettered.
    const producer = createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'observability-test' }).producer();
    await producer.connect();
    await producer.send({ topic: new KafkaNamespace(pipeline.kafkaNamespace).topic(TOPICS.forecastTimeRegistrationChanged), messages: [{ key: 'garbage', value: 'not json' }] });
    await producer.disconnect();
  }, 240_000);

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  const spansOf = (service: PipelineService) =>
    readFileSync(pipeline.system.spanFile(service), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

  it('shows the webhook ingest, the Kafka consume in the writer, its PostgreSQL queries and the TimeLog call in one trace', async () => {
    const trace = await pollUntil(() => {
      const found = [...spansOf('forecast-ingestor'), ...spansOf('sync-writer')].filter((span) => span.traceId === registrationTraceId);
      return found.some((span) => span.name === 'timelog InsertWork') ? found : undefined;
    }, { description: 'the TimeLog call in the registration trace' });

    expect(JSON.stringify(trace.find((span) => span.serviceName === 'forecast-ingestor' && span.kind === 'SERVER')?.attributes)).toMatch(/\/webhooks\/forecast\//);
    const consume = trace.find((span) => span.serviceName === 'sync-writer' && span.kind === 'CONSUMER');
    expect(consume).toMatchObject({ name: 'forecast.time-registration.changed.v1 process', attributes: { 'messaging.consumer.group.name': 'sync-writer' } });
    expect(trace.find((span) => span.name === 'timelog InsertWork')).toMatchObject({ serviceName: 'sync-writer', attributes: { 'timelog.operation': 'InsertWork' } });
    expect(trace.some((span) => span.serviceName === 'sync-writer' && span.attributes['db.system'] === 'postgresql')).toBe(true);
    await pollUntil(() => spansOf('timelog-poller').some((span) => span.name === 'timelog change-log poll' && span.attributes['company.id'] === company()), {
      description: 'a span for the poll of the company',
    });
  });

  it('serves every series on /metrics with values that match what happened', async () => {
    const poller = await pollUntil(async () => {
      const samples = await scrape(pipeline, 'timelog-poller');
      return total(samples, 'timelog_sync_poll_duration_seconds_count', { vendor: 'timelog', outcome: 'success' }) > 0 ? samples : undefined;
    }, { description: 'a successful TimeLog poll' });
    const [ingestor, writer] = await Promise.all((['forecast-ingestor', 'sync-writer'] as const).map((service) => scrape(pipeline, service)));

    expect(total(ingestor, 'timelog_sync_webhooks_total', { outcome: 'received' })).toBeGreaterThan(0);
    expect(total(ingestor, 'timelog_sync_webhooks_total', { outcome: 'deduplicated' }) + total(writer, 'timelog_sync_echo_drops_total')).toBeGreaterThan(0);
    expect(total(ingestor, 'timelog_sync_webhooks_total', { outcome: 'rejected', reason: 'invalid-payload' })).toBe(1);
    expect(total(ingestor, 'timelog_sync_external_call_seconds_count', { vendor: 'forecast' })).toBeGreaterThan(0);
    expect(total(writer, 'timelog_sync_external_call_seconds_count', { vendor: 'timelog', operation: 'InsertWork' })).toBeGreaterThan(0);
    expect(matching(writer, 'timelog_sync_external_call_errors_total', { vendor: 'timelog' })).toEqual([]);
    expect(total(writer, 'timelog_sync_conflicts_total')).toBe(0);

    expect(matching(poller, 'timelog_sync_poll_duration_seconds_count', { vendor: 'timelog', outcome: 'success' }).length).toBe(1);
    // Initialised at start-up, so the first event of a kind is an increase Prometheus sees.
    expect(matching(writer, 'timelog_sync_events_parked_total', { reason: 'closed-week' }).map((sample) => sample.value)).toEqual([0]);
    expect(matching(writer, 'timelog_sync_http_request_duration_seconds_count', { route: '/health/ready', status_class: '2xx' }).length).toBe(1);
    expect(matching(ingestor, 'timelog_sync_http_request_duration_seconds_count', { route: '/webhooks/forecast/:token/:objectType', status_class: '4xx' }).length).toBe(1);

    // One owner of the system-wide gauges: the mapping service reads them from PostgreSQL and the broker.
    const mapping = await pollUntil(async () => {
      const samples = await scrape(pipeline, 'mapping-service');
      const settled = total(samples, 'timelog_sync_outbox_backlog') === 0 && total(samples, 'timelog_sync_consumer_lag') === 0;
      return settled && total(samples, 'timelog_sync_parked', { company: company() }) === 1 ? samples : undefined;
    }, { description: 'mapping service: outbox drained, consumer lag back to 0, one parked registration', timeoutMs: 30_000 });
    const interval = total(mapping, 'timelog_sync_poll_interval_seconds', { company: company() });
    expect(interval).toBeGreaterThan(0);
    const [pollAge] = matching(mapping, 'timelog_sync_poll_age_seconds', { company: company(), vendor: 'timelog' });
    expect(pollAge.value).toBeGreaterThanOrEqual(0);
    expect(pollAge.value).toBeLessThan(interval);
    expect(matching(mapping, 'timelog_sync_poll_age_seconds', { company: company(), vendor: 'forecast' }).length).toBe(1);
    expect(total(mapping, 'timelog_sync_parked_by_reason', { reason: 'person-not-linked' })).toBe(1);
    expect(total(mapping, 'timelog_sync_parked_by_reason', { reason: 'closed-week' })).toBe(0);
    expect(total(mapping, 'timelog_sync_outbox_oldest_age_seconds')).toBe(0);
    expect(total(mapping, 'timelog_sync_dlq_size', { topic: TOPICS.forecastTimeRegistrationChanged })).toBe(1);
    expect(total(mapping, 'timelog_sync_dlq_size', { topic: TOPICS.timelogWorkChanged })).toBe(0);
    expect(matching(mapping, 'timelog_sync_company_health', { company: company() }).map((sample) => sample.value)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const group of ['forecast-ingestor', 'sync-writer']) {
      const lag = matching(mapping, 'timelog_sync_consumer_lag', { group });
      expect(lag.length).toBeGreaterThan(0);
      expect(lag.every((sample) => sample.value === 0)).toBe(true);
    }
    await pollUntil(async () => total(await scrape(pipeline, 'sync-writer'), 'timelog_sync_dlq_messages_total', { topic: TOPICS.forecastTimeRegistrationChanged, reason: 'invalid-message' }) === 1, {
      description: 'the unreadable message dead-lettered',
    });

    // The other services export only their own process-level figures: no per-company or per-group series.
    for (const service of SERVICES.filter((name) => name !== 'mapping-service')) {
      const companyLabelled = (await scrape(pipeline, service)).filter((sample) => sample.labels.company !== undefined || sample.name === 'timelog_sync_consumer_lag');
      expect({ service, companyLabelled }).toEqual({ service, companyLabelled: [] });
    }
  });

  it('keeps the demo passwords, the Forecast API key and the SOAP token hashes out of logs, spans and Kafka messages', async () => {
    const { demo } = pipeline;
    const sites: { settings: { accountName: string }; tokens: { hash: string }[] }[] = JSON.parse(readFileSync(join(pipeline.outputDir, 'timelog-simulator.json'), 'utf8'));
    const tokenHashes = sites.find((site) => site.settings.accountName === demo.timelogAccount)?.tokens.map((token) => token.hash) ?? [];
    expect(tokenHashes.length).toBeGreaterThan(0);
    const secrets = [demo.forecastApiKey, demo.timelogPasswords.login, demo.timelogPasswords.reporting, ...tokenHashes];

    const namespace = new KafkaNamespace(pipeline.kafkaNamespace);
    const reader = await new TopicReader(createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'observability-test' })).start(TOPIC_SPECS.map((spec) => namespace.topic(spec.name)));
    try {
      const published = await publishedOutboxRows(pipeline.databaseUrl);
      await pollUntil(() => reader.messages.length >= published, { description: `${published} published messages read back`, timeoutMs: 30_000 });
      const kafka = reader.messages.map((message) => JSON.stringify([message.key, message.value, message.headers])).join('\n');
      for (const service of SERVICES) {
        const captured = { logs: pipeline.system.logs(service), spans: readFileSync(pipeline.system.spanFile(service), 'utf8') };
        for (const [where, text] of Object.entries(captured)) expect({ service, where, leaked: secrets.filter((secret) => text.includes(secret)) }).toEqual({ service, where, leaked: [] });
      }
      expect(secrets.filter((secret) => kafka.includes(secret))).toEqual([]);
    } finally {
      await reader.stop();
    }
  });

  it('fires the poll-overdue alert, evaluated by promtool over the scraped series, once the poller stops polling the company', async () => {
    const evaluate = async () => {
      const samples = (await Promise.all(SERVICES.map(async (service) => (await scrape(pipeline, service)).map((sample) => ({ ...sample, labels: { ...sample.labels, job: service } }))))).flat();
      return firingPollAlerts(samples.filter((sample) => ['timelog_sync_poll_age_seconds', 'timelog_sync_poll_interval_seconds'].includes(sample.name)));
    };
    expect(await evaluate()).toEqual([]);

    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      // The schedule stops, and the last success is put three intervals back, as if that much time had passed.
      const stopSchedule = () =>
        db.query(
          `UPDATE timelog_poll_state s SET next_poll_at = 'infinity', last_success_at = now() - 3 * make_interval(mins => c.poll_interval_minutes)
           FROM company c WHERE c.id = s.company_id AND s.company_id = $1`,
          [company()],
        );
      await pollUntil(async () => {
        await stopSchedule();
        const mapping = await scrape(pipeline, 'mapping-service');
        return total(mapping, 'timelog_sync_poll_age_seconds', { company: company(), vendor: 'timelog' }) > 2 * total(mapping, 'timelog_sync_poll_interval_seconds', { company: company() });
      }, { description: 'poll age past two intervals' });
      expect(await evaluate()).toEqual([company()]);
    } finally {
      await db.end();
    }
  });
});

async function publishedOutboxRows(databaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NOT NULL`)).rows[0].n;
  } finally {
    await db.end();
  }
}

/**
 * The companies for which the real TimeLogPollOverdue rule fires, by `promtool test rules` over the scraped samples held
 * for 10 minutes: the test expects no alert, so promtool passes when none fires and otherwise lists the ones that did.
 */
function firingPollAlerts(samples: Sample[]): string[] {
  const series = samples.map((sample) => ({
    series: `${sample.name}{${Object.entries(sample.labels).map(([key, value]) => `${key}="${value}"`).join(',')}}`,
    values: `${sample.value}x10`,
  }));
  // JSON is YAML, and promtool reads it as such.
  const testFile = join(mkdtempSync(join(tmpdir(), 'promtool-')), 'scraped.test.json');
  writeFileSync(testFile, JSON.stringify({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests: [{ interval: '1m', input_series: series, alert_rule_test: [{ eval_time: '5m', alertname: 'TimeLogPollOverdue', exp_alerts: [] }] }] }));
  try {
    execFileSync('promtool', ['test', 'rules', testFile], { stdio: 'pipe' });
    return [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('promtool is needed for the alert tests: apt-get install prometheus');
    const output = `${String((error as { stdout?: Buffer }).stdout ?? '')}${String((error as { stderr?: Buffer }).stderr ?? '')}`;
    const firing = [...output.matchAll(/Labels:\{alertname="TimeLogPollOverdue", company="([^"]+)", severity="page"\}/g)].map((match) => match[1]);
    if (firing.length === 0) throw new Error(`promtool failed:\n${output}`);
    return firing;
  }
}
