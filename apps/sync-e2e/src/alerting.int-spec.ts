import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { TOPICS } from '@timelog-sync/contracts';
import { createKafka, KafkaNamespace } from '@timelog-sync/messaging';
import { httpJson, PipelineService, pollUntil, testEnvironment } from '@timelog-sync/testing';
import { MonitoringStack, OVERLAY } from './monitoring-stack';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const PORT_BASE = 32000;
const repoRoot = resolve(__dirname, '../../..');
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'));
const today = () => new Date().toISOString().slice(0, 10);
/** A rule's `for:` plus two evaluations, plus the scrape that has to bring the sample in first. */
const FIRING_BUDGET_MS = (OVERLAY.forSeconds + 2 * OVERLAY.evaluationSeconds + OVERLAY.scrapeSeconds) * 1000;

/**
 * Selectors that may rightly have no series in a short healthy run, and why (the "documented 0"): every other
 * selector of every rule, and every dashboard query, must return data.
 */
const MAY_BE_EMPTY: Record<string, string> = {
  'timelog_sync_http_request_duration_seconds_count{status_class="5xx"}': 'a status class has a series only once a request ended in it; no request failed on our side',
};

/**
 * The acceptance run of the alerting: the whole system scraped by a real Prometheus with the project's rules (only
 * `for:` shortened) delivering to a real Alertmanager with the project's routing, faults provoked one by one.
 */
describe('Alerts that fire when it matters, delivered through Alertmanager', () => {
  let pipeline: Pipeline;
  let monitoring: MonitoringStack;
  let taskId: number;
  const company = () => pipeline.demo.companyId;
  const url = (service: PipelineService) => pipeline.system.url(service);
  const admin = () => ({ authorization: `Bearer ${pipeline.demo.adminKey}` });
  const pollNow = () => httpJson('POST', `${url('timelog-poller')}/companies/${company()}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });

  /** One sample of the app's own /metrics, e.g. to see when a symptom is exported. */
  const exported = async (service: PipelineService, sample: RegExp) => sample.test(await (await fetch(`${url(service)}/metrics`)).text());

  /**
   * Provokes a fault, waits until the exporting service shows the symptom, then measures until Prometheus fires the
   * alert. Prints both figures; the second must stay within the rule's `for:` plus two evaluations (and one scrape).
   */
  async function measureFiring(what: string, provoke: () => Promise<unknown>, symptom: () => Promise<boolean>, alertname: string, labels: Record<string, string>) {
    const provokedAt = Date.now();
    await provoke();
    await pollUntil(symptom, { description: `${what}: the symptom exported`, timeoutMs: 60_000, intervalMs: 100 });
    const exportedAt = Date.now();
    await pollUntil(async () => (await monitoring.alertState(alertname, labels)) === 'firing', { description: `${alertname} firing`, timeoutMs: 30_000, intervalMs: 100 });
    const firedAt = Date.now();
    process.stdout.write(
      `[alerting] ${what}: ${alertname} firing ${firedAt - exportedAt} ms after the symptom was exported (budget ${FIRING_BUDGET_MS} ms: for ${OVERLAY.forSeconds} s + 2 x ${OVERLAY.evaluationSeconds} s evaluation + ${OVERLAY.scrapeSeconds} s scrape), ${firedAt - provokedAt} ms after the fault\n`,
    );
    expect(firedAt - exportedAt).toBeLessThanOrEqual(FIRING_BUDGET_MS);
  }

  beforeAll(async () => {
    pipeline = await startPipeline(PORT_BASE, { FAULT_COMMIT_DELAY_MS: '0' });
    await pipeline.system.startService('admin-console');
    const ports: Record<string, PipelineService> = {
      'forecast-ingestor': 'forecast-ingestor',
      'timelog-poller': 'timelog-poller',
      'mapping-service': 'mapping-service',
      'sync-writer': 'sync-writer',
      'admin-console': 'admin-console',
    };
    monitoring = await MonitoringStack.start({
      targets: Object.fromEntries(Object.entries(ports).map(([job, service]) => [job, new URL(url(service)).host])),
      port: PORT_BASE + testEnvironment.portOffset + 30,
      outputDir: pipeline.outputDir,
    });
    await pollUntil(async () => (await monitoring.query('up == 1')).length === Object.keys(ports).length, { description: 'every app scraped, the admin console too', timeoutMs: 30_000 });

    // Traffic, so every panel has something to show: a task and a registration synced, and a TimeLog poll.
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Watched', assigned_persons: [demo.people.ann, demo.people.carl] });
    await pollUntil(async () => (await timelog.tasks()).find((t) => t.name === 'Watched'), { description: 'task synced', timeoutMs: 60_000 });
    await forecast.register(demo.people.ann, { task: task.id, time_registered: 30, date: today(), notes: 'watched' });
    await pollUntil(async () => (await timelog.work()).some((work) => work.description === 'watched'), { description: 'registration synced', timeoutMs: 60_000 });
    await pollNow();
    taskId = task.id;
  }, 240_000);

  afterAll(async () => {
    await monitoring?.stop();
    await pipeline?.system.stop();
  });

  it('fires ParkedGrowing on the first parked event of a company', async () => {
    const { demo, forecast } = pipeline;
    await measureFiring(
      'first parked event (person-not-linked)',
      () => forecast.register(demo.people.carl, { task: taskId, time_registered: 15, date: today(), notes: 'parked' }),
      () => exported('mapping-service', new RegExp(`timelog_sync_parked\\{company="${company()}"\\} 1`)),
      'ParkedGrowing',
      { company: company() },
    );
  });

  it('fires DeadLetterQueueGrowing on the first dead letter of a topic', async () => {
    const topic = TOPICS.forecastTimeRegistrationChanged;
    await measureFiring(
      'first dead letter',
      async () => {
        const producer = createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'alerting-test' }).producer();
        await producer.connect();
        await producer.send({ topic: new KafkaNamespace(pipeline.kafkaNamespace).topic(topic), messages: [{ key: 'garbage', value: 'not json' }] });
        await producer.disconnect();
      },
      () => exported('sync-writer', new RegExp(`timelog_sync_dlq_messages_total\\{topic="${topic.replace(/\./g, '\\.')}",reason="invalid-message"\\} 1`)),
      'DeadLetterQueueGrowing',
      { topic },
    );
  });

  it('fires CompanyCredentialsRefused after a TimeLog password change, without flapping, inhibiting the parked alert, until the admin re-enters it', async () => {
    const { demo } = pipeline;
    const labels = { company: company(), vendor: 'timelog' };
    const newPassword = `Changed-${company()}-Secret!`;
    await measureFiring(
      'TimeLog password changed',
      async () => {
        await httpJson('PUT', `${url('timelog-simulator')}/_sim/sites/${demo.timelogAccount}/employees/ADM/password`, { password: newPassword });
        await pollNow();
      },
      () => exported('mapping-service', new RegExp(`timelog_sync_company_health\\{company="${company()}",vendor="timelog",condition="credentials_refused"\\} 1`)),
      'CompanyCredentialsRefused',
      labels,
    );

    // Sampled once per scrape while the poller retries and the writer handles new events: firing every time.
    await pipeline.forecast.register(demo.people.ann, { task: taskId, time_registered: 20, date: today(), notes: 'during the refusal' });
    await pollNow();
    const samples: string[] = [];
    for (let scrape = 0; scrape < 10; scrape += 1) {
      samples.push(await monitoring.alertState('CompanyCredentialsRefused', labels));
      await new Promise((resolve) => setTimeout(resolve, OVERLAY.scrapeSeconds * 1000));
    }
    expect(samples).toEqual(Array(10).fill('firing'));

    await pollUntil(() => monitoring.delivered('CompanyCredentialsRefused', labels), { description: 'the credential ticket delivered', timeoutMs: 30_000 });
    expect(monitoring.delivered('CompanyCredentialsRefused', labels)?.receiver).toBe('ticket');
    // The parked events of a company whose credentials are refused are a consequence: Alertmanager holds that ticket back.
    const parked = await pollUntil(async () => (await monitoring.alertmanagerAlerts('ParkedGrowing')).find((alert) => alert.labels.company === company() && alert.status.inhibitedBy.length > 0), {
      description: 'ParkedGrowing inhibited by the credential alert',
      timeoutMs: 30_000,
    });
    expect(parked.status.state).toBe('suppressed');

    const activity = async () => (await httpJson('GET', `${url('mapping-service')}/companies/${company()}/activity`, undefined, admin())) as { action: string; before: any; after: any }[];
    expect((await activity()).find((entry) => entry.action === 'health-changed')).toMatchObject({ before: { vendor: 'timelog', condition: 'ok' }, after: { vendor: 'timelog', condition: 'credentials-refused' } });

    // The admin re-enters the password: the live check succeeds, health clears, the alert resolves.
    await httpJson('PUT', `${url('mapping-service')}/companies/${company()}/activation`, { ...demo.activation, timelog: { ...demo.activation.timelog, password: newPassword } }, admin());
    await pollUntil(async () => (await monitoring.alertState('CompanyCredentialsRefused', labels)) === 'inactive', { description: 'the credential alert resolved', timeoutMs: 30_000 });
    expect((await activity()).find((entry) => entry.action === 'health-changed')).toMatchObject({ before: { vendor: 'timelog', condition: 'credentials-refused' }, after: { vendor: 'timelog', condition: 'ok' } });
  });

  it('gets data from every dashboard panel query and every rule expression from a real Prometheus', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/dashboards/timelog-sync.json'), 'utf8'));
    const panelQueries: { title: string; expr: string }[] = dashboard.panels.flatMap((panel: { title: string; targets: { expr: string }[] }) => panel.targets.map((target) => ({ title: panel.title, expr: target.expr })));
    const rules: { record?: string; alert?: string; expr: string }[] = readdirSync(join(repoRoot, 'deploy/prometheus/rules')).flatMap((file) =>
      readYaml(`deploy/prometheus/rules/${file}`).groups.flatMap((group: { rules: unknown[] }) => group.rules),
    );
    const empty: string[] = [];
    for (const { title, expr } of panelQueries) if ((await monitoring.query(expr)).length === 0) empty.push(`panel "${title}": ${expr}`);
    for (const rule of rules) {
      if (rule.record && (await monitoring.query(rule.expr)).length === 0) empty.push(`recording rule ${rule.record}`);
      // An alert's expression is empty while it does not fire; each series it reads must exist.
      for (const selector of rule.alert ? selectorsOf(rule.expr) : []) {
        if (!(selector in MAY_BE_EMPTY) && (await monitoring.query(selector)).length === 0) empty.push(`alert ${rule.alert}: ${selector}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('pages when the poller is killed, while the poll age keeps growing', async () => {
    await pipeline.system.kill('timelog-poller');
    const killedAt = Date.now();
    const ageAt = async () => Number((await monitoring.query(`max(timelog_sync_poll_age_seconds{company="${company()}",vendor="timelog"})`))[0]?.value[1]);
    const page = await pollUntil(() => monitoring.delivered('ServiceDown', { job: 'timelog-poller' }), { description: 'ServiceDown for the poller delivered', timeoutMs: 60_000 });
    process.stdout.write(`[alerting] poller killed: page delivered after ${page.at - killedAt} ms\n`);
    expect(page.receiver).toBe('page');
    // Read after the page: the credential test's re-activation just before restarted the age, and an earlier
    // sample could still show the age from before it.
    const before = await pollUntil(async () => {
      const age = await ageAt();
      return Number.isFinite(age) ? age : undefined;
    }, { description: 'the poll age in Prometheus' });
    await pollUntil(async () => (await ageAt()) > before + 2, { description: 'the poll age still growing with the poller dead', timeoutMs: 20_000 });
  });

  it('pages when the writer is killed, and its group lag grows from the broker view', async () => {
    await pipeline.system.kill('sync-writer');
    const killedAt = Date.now();
    const page = await pollUntil(() => monitoring.delivered('ServiceDown', { job: 'sync-writer' }), { description: 'ServiceDown for the writer delivered', timeoutMs: 60_000 });
    process.stdout.write(`[alerting] writer killed: page delivered after ${page.at - killedAt} ms\n`);
    expect(page.receiver).toBe('page');

    // New work for the dead writer: its lag, exported by the mapping service, grows and ConsumerLagGrowing pages too.
    await pipeline.forecast.register(pipeline.demo.people.ann, { task: taskId, time_registered: 45, date: today(), notes: 'while the writer is dead' });
    const lagged = { group: 'sync-writer', topic: TOPICS.forecastTimeRegistrationChanged };
    await pollUntil(async () => Number((await monitoring.query(`timelog_sync:consumer_lag:sum{group="sync-writer",topic="${lagged.topic}"}`))[0]?.value[1]) > 0, {
      description: 'the dead group lag in Prometheus',
      timeoutMs: 30_000,
    });
    const lagPage = await pollUntil(() => monitoring.delivered('ConsumerLagGrowing', lagged), { description: 'ConsumerLagGrowing delivered', timeoutMs: 60_000 });
    expect(lagPage.receiver).toBe('page');
  });
});

/** The series selectors of a PromQL expression (metric names of ours, and `up`, with their matchers). */
function selectorsOf(expr: string): string[] {
  return [...expr.matchAll(/\b(up|timelog_sync_[a-z_]+)(\{[^}]*\})?/g)].map((match) => `${match[1]}${match[2] ?? ''}`);
}
